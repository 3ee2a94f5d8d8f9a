// The grid view (/?view=grid&seed=0&n=16): consecutive seeds as thumbnails; one opens the face.
//
// A page of the grid is always full: it starts at most n seeds before the last seed, so it
// can be downloaded as one /grid request; previous and next wrap around from one end to the
// other, a page at a time.

import { faceUrl, loadImage, randomSeed, showError } from "./api.js";
import { SEEDS, isSeed, markInvalid, readWhole } from "./address.js";
import { addDownload } from "./download.js";
import { lookQuery } from "./look.js";

const $ = (selector) => document.querySelector(selector);
const SIZES = [16, 36, 64]; // the faces a page can hold (the select's options)

/** The first seed of the full page of `count` seeds that holds `seed`'s place, moved by `pages`. */
export function pageStart(seed, count, pages = 0) {
  const last = SEEDS - count; // the start of the last full page
  const start = Math.min(Number(seed), last);
  if (pages < 0) return start === 0 ? last : Math.max(0, start - count);
  if (pages > 0) return start === last ? 0 : Math.min(last, start + count);
  return start;
}

export function gridView(go) {
  const section = $("#grid-view");
  const list = $("#grid");
  const startInput = $("#grid-seed");
  const countSelect = $("#grid-n");
  const errorBox = section.querySelector(".error");
  let start = 0;
  let count = SIZES[0];
  let look = "";

  const page = (next, n = count, options = {}) => go({ view: "grid", seed: next, n }, options);
  $("#grid-prev").addEventListener("click", () => page(pageStart(start, count, -1)));
  $("#grid-next").addEventListener("click", () => page(pageStart(start, count, 1)));
  $("#grid-random").addEventListener("click", () => page(pageStart(randomSeed(), count)));
  const openTyped = () => {
    const typed = readWhole(startInput, "the first seed");
    markInvalid(startInput, typed.error);
    if (typed.error) showError(errorBox, typed.error);
    else if (typed.value !== String(start)) page(typed.value);
  };
  $("#grid-form").addEventListener("submit", (event) => {
    event.preventDefault();
    openTyped();
  });
  startInput.addEventListener("change", openTyped);
  countSelect.addEventListener("change", () => page(pageStart(start, Number(countSelect.value)), countSelect.value));
  // Opened by keyboard or pointer, the face takes the focus: the button that had it is gone.
  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-seed]");
    if (button) go({ seed: button.dataset.seed }, { focus: true });
  });
  addDownload(section.querySelector(".download"), {
    scales: [1, 2, 4, 8],
    scale: 4,
    errorBox,
    request: (scale) => ({
      url: `/grid?seed=${start}&n=${count}&scale=${scale}${look}`,
      filename: `pixelgan-seeds-${start}-to-${start + count - 1}.png`,
    }),
  });

  return {
    section,
    async show(params) {
      const seed = params.get("seed");
      look = lookQuery(params);
      count = SIZES.includes(Number(params.get("n"))) ? Number(params.get("n")) : SIZES[0];
      if (!isSeed(seed)) return page(pageStart(randomSeed(), count), count, { replace: true });
      if (pageStart(seed, count) !== Number(seed)) return page(pageStart(seed, count), count, { replace: true });
      start = Number(seed);
      countSelect.value = String(count);
      startInput.value = seed;
      markInvalid(startInput, false);
      showError(errorBox, null);
      document.title = `seeds ${start} to ${start + count - 1} · pixelgan`;
      list.style.setProperty("--columns", Math.ceil(Math.sqrt(count)));
      const seeds = Array.from({ length: count }, (_, index) => start + index);
      list.replaceChildren(...seeds.map(thumbnail));
      const outcomes = await Promise.all(
        [...list.querySelectorAll("img")].map((img) => loadImage(img, faceUrl(img.dataset.seed, 1, look))),
      );
      const failed = outcomes.find((outcome) => outcome.error && !outcome.stale);
      if (failed) showError(errorBox, failed.error);
    },
    key(key) {
      if (key === "ArrowLeft") page(pageStart(start, count, -1));
      else if (key === "ArrowRight") page(pageStart(start, count, 1));
      else if (key.toLowerCase() === "r") page(pageStart(randomSeed(), count));
      else return false;
      return true;
    },
  };
}

function thumbnail(seed) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.seed = seed;
  button.title = `open seed ${seed}`;
  const img = document.createElement("img");
  img.className = "pixels";
  img.alt = `seed ${seed}`;
  img.dataset.seed = seed;
  const caption = document.createElement("span");
  caption.textContent = seed;
  button.append(img, caption);
  item.append(button);
  return item;
}
