// The page's entry point: which view is shown, the URL that holds its state, keys, model info.
//
// The query string is the whole state: /?seed=42 (a face), /?view=grid&seed=0&n=16,
// /?view=morph&from=1&to=2, /?view=photo. `go` pushes a new URL and shows it, so the back
// button walks every view and seed seen; popstate shows the URL it goes back to.

import { apiFeatures, errorSentence } from "./api.js";
import { faceView, gridView } from "./browse.js";
import { currentLook, lookForm } from "./look.js";
import { morphView } from "./morph.js";
import { photoView } from "./photo.js";

const views = {};
let look = null; // the pixel-art look form, once the API's features are known

/**
 * Show the view that `params` describe, pushing it onto the history (or replacing the entry).
 * The look (levels, dither) is carried over unless `params` sets it; null leaves a name out.
 */
function go(params, { replace = false } = {}) {
  const query = new URLSearchParams();
  const merged = { ...params };
  for (const [name, value] of Object.entries(currentLook())) if (!(name in merged)) merged[name] = value;
  for (const [name, value] of Object.entries(merged)) {
    if (value !== null && value !== undefined && !(name === "view" && value === "face")) query.set(name, value);
  }
  const url = `/?${query}`.replace(/\?$/, "");
  if (url !== location.pathname + location.search) history[replace ? "replaceState" : "pushState"](null, "", url);
  render();
}

function currentViewName() {
  const name = new URLSearchParams(location.search).get("view") || "face";
  return name in views ? name : "face";
}

function render() {
  const name = currentViewName();
  for (const [viewName, view] of Object.entries(views)) view.section.hidden = viewName !== name;
  for (const link of document.querySelectorAll("nav a")) {
    link.toggleAttribute("aria-current", link.dataset.view === name);
  }
  const params = new URLSearchParams(location.search);
  look.show(params, views[name].section.querySelector(".look-slot"));
  views[name].show(params);
}

/** Another view, starting from the seed shown now: face 42 -> grid from 42 -> morph from 42. */
function viewAtCurrentSeed(view) {
  const params = new URLSearchParams(location.search);
  const seed = params.get("seed") ?? params.get("from");
  if (view === "photo" || seed === null) return { view };
  return view === "morph" ? { view, from: seed } : { view, seed };
}

function onKey(event) {
  if (event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.target.closest("input, select, textarea, [contenteditable]")) return;
  if (views[currentViewName()].key(event.key)) event.preventDefault();
}

/** What the model is, from /model: "Model 4b8c…. A conv generator: a 100-number latent to a 40x40 grey grid, widths …" */
async function showModel() {
  const text = document.querySelector("#model-text");
  const response = await fetch("/model").catch(() => null);
  if (!response || !response.ok) {
    text.textContent = response ? await errorSentence(response) : "Could not reach the service.";
    return;
  }
  const model = await response.json();
  const arch = model.architecture || {};
  const training = model.training || {};
  const layers = Array.isArray(arch.hidden) ? `, widths ${arch.hidden.join(", ")}` : "";
  const parts = [
    `A ${arch.arch || "GAN"} generator: a ${model.latent_dim}-number latent to a ${model.grid}x${model.grid} grey grid${layers}.`,
  ];
  if (training.dataset) {
    const used = training.images_used ? ` (${training.images_used.toLocaleString("en")} images)` : "";
    const epochs = training.epochs !== undefined ? ` for ${training.epochs} epochs` : "";
    const date = training.date ? `, ${training.date}` : "";
    parts.push(`Trained${epochs} on ${training.dataset}${used}${date}.`);
  }
  const id = document.createElement("code");
  id.id = "model-id";
  id.textContent = model.model_id;
  text.replaceChildren("Model ", id, `. ${parts.join(" ")}`);
}

views.face = faceView(go);
views.grid = gridView(go);
views.morph = morphView(go);
views.photo = photoView(go);

for (const link of document.querySelectorAll("nav a")) {
  link.addEventListener("click", (event) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    go(viewAtCurrentSeed(link.dataset.view));
  });
}
window.addEventListener("popstate", render);
document.addEventListener("keydown", onKey);
// The morph tab and the look only where the API has them; known before the first render,
// so a morph link to a service without /morph falls back to a face instead of an error.
const features = await apiFeatures();
document.querySelector('nav a[data-view="morph"]').hidden = !features.morph;
if (!features.morph) delete views.morph;
look = lookForm(features, go);
render();
showModel();
