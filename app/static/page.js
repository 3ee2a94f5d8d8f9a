// The page's entry point: which view is shown, the URL that holds its state, keys, model info.
//
// The query string is the whole state: /?seed=42 (a face), /?view=grid&seed=0&n=16,
// /?view=morph&from=1&to=2, /?view=photo. `go` pushes a new URL and shows it, so the back
// button walks every view and seed seen; popstate shows the URL it goes back to. A URL with a
// bad value is mended first (address.js) and the page says what it changed.
//
// Nothing here waits for /openapi.json before the first view shows: the features it reports
// (the morph tab, the look's dithers, the photo's crops) are applied when they arrive.

import { apiFeatures, modelInfo, randomSeed, servedModels } from "./api.js";
import { cleanAddress, isSeed } from "./address.js";
import { faceView } from "./face.js";
import { gridView } from "./grid.js";
import { currentLook, lookForm } from "./look.js";
import { morphView } from "./morph.js";
import { photoView } from "./photo.js";
import { copyLinkButton } from "./share.js";

const views = {};
const look = lookForm(go);
const notice = document.querySelector("#notice");
const SEEN = "pixelgan:seed"; // sessionStorage: the last seed shown, for a bad link to fall back on
let features = null; // from /openapi.json, once it has answered
let modelNames = null; // names and ids from /models, once it has answered

/**
 * Show the view that `params` describe, pushing it onto the history (or replacing the entry).
 * The look (model, palette, levels, dither) is carried over unless `params` sets it; null leaves a name out.
 * `focus` moves the keyboard focus to the view's main picture (the control that had it is gone).
 */
function go(params, { replace = false, focus = false } = {}) {
  const query = new URLSearchParams();
  const merged = { ...params };
  for (const [name, value] of Object.entries(currentLook())) if (!(name in merged)) merged[name] = value;
  for (const [name, value] of Object.entries(merged)) {
    if (value !== null && value !== undefined && !(name === "view" && value === "face")) query.set(name, value);
  }
  const url = `/?${query}`.replace(/\?$/, "");
  if (url !== location.pathname + location.search) history[replace ? "replaceState" : "pushState"](null, "", url);
  if (!replace) notice.textContent = "";
  render();
  if (focus) views[currentViewName()].focusTarget?.focus();
}

function currentViewName() {
  const name = new URLSearchParams(location.search).get("view") || "face";
  return name in views ? name : "face";
}

function render() {
  const mended = cleanAddress(new URLSearchParams(location.search), lastSeed, {
    dither: features?.choices.dither,
    palette: features?.choices.palette,
    model: modelNames,
  });
  if (mended.notes.length) {
    history.replaceState(null, "", `/?${mended.params}`);
    notice.textContent = mended.notes.join(" ");
  }
  const name = currentViewName();
  for (const [viewName, view] of Object.entries(views)) view.section.hidden = viewName !== name;
  for (const link of document.querySelectorAll("nav a")) {
    link.toggleAttribute("aria-current", link.dataset.view === name);
  }
  const params = new URLSearchParams(location.search);
  const seen = params.get("seed") ?? params.get("from");
  if (isSeed(seen)) sessionStorage.setItem(SEEN, seen);
  look.show(params, views[name].section.querySelector(".look-slot"));
  views[name].show(params);
}

/** The last seed shown in this tab (kept across reloads), or a random one. */
function lastSeed() {
  const seen = sessionStorage.getItem(SEEN);
  return isSeed(seen) ? seen : String(randomSeed());
}

/** Another view, starting from the seed shown last: face 42 -> grid from 42 -> morph from 42. */
function viewAtCurrentSeed(view) {
  const params = new URLSearchParams(location.search);
  const seed = params.get("seed") ?? params.get("from") ?? sessionStorage.getItem(SEEN);
  if (view === "photo" || !isSeed(seed)) return { view };
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
  const model = await modelInfo();
  if (model.error) {
    text.textContent = model.error;
    return;
  }
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

/** The morph tab, the look and the photo's crops, as this service's API has them. */
function useFeatures(found) {
  features = found;
  document.querySelector('nav a[data-view="morph"]').hidden = !features.morph;
  look.useFeatures(features);
  views.photo.useFeatures(features);
  // A morph link to a service without /morph falls back to a face; a dither it lacks is mended.
  const shown = currentViewName();
  if (!features.morph) delete views.morph;
  const params = new URLSearchParams(location.search);
  const unknown = ["dither", "palette"].some((name) => {
    const value = params.get(name);
    return value && !features.choices[name]?.includes(value);
  });
  if (currentViewName() !== shown || unknown) render();
}

/** The model picker, from /models; a link naming a model not served is mended. */
function useModels(models) {
  modelNames = models.flatMap((entry) => [entry.name, entry.model_id]);
  look.useModels(models);
  const model = new URLSearchParams(location.search).get("model");
  if (model && !modelNames.includes(model)) render();
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
window.addEventListener("popstate", () => {
  notice.textContent = "";
  render();
});
document.addEventListener("keydown", onKey);
copyLinkButton(document.querySelector("#copy-link"), document.querySelector("#copy-status"));
render();
showModel();
apiFeatures().then(useFeatures);
servedModels().then(useModels);
