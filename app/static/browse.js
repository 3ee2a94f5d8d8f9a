// The seed views: one face large (/?seed=42) and a grid of consecutive seeds (/?view=grid&seed=0&n=16).
//
// Both keep their state in the URL through `go` (see page.js), so every view is a share link
// and the back button walks the seeds seen; the pixel-art look (levels, dither) rides along.

import { fetchBlob, loadImage, randomSeed, showError } from "./api.js";
import { lookQuery } from "./look.js";
import { addDownload } from "./download.js";

const SEEDS = 2 ** 32; // seeds are 0..2^32-1; stepping past either end wraps around
const $ = (selector) => document.querySelector(selector);

/** Whether `text` is a seed the API takes: a whole number from 0 to 2^32-1. */
function isSeed(text) {
  return /^\d+$/.test(text) && Number(text) < SEEDS;
}

/** `seed` moved by `delta`, wrapping; a seed that is not a number counts as 0. */
export function stepSeed(seed, delta) {
  const number = Number(seed);
  const start = Number.isSafeInteger(number) ? number : 0;
  return (((start + delta) % SEEDS) + SEEDS) % SEEDS;
}

/** One face, large, with previous/next/random and a download. */
export function faceView(go) {
  const section = $("#face-view");
  const input = $("#seed");
  const face = $("#face");
  const errorBox = section.querySelector(".error");
  let seed = null;
  let look = ""; // levels and dither from the URL, for every request

  const open = (next) => go({ seed: next });
  $("#prev").addEventListener("click", () => open(stepSeed(seed, -1)));
  $("#next").addEventListener("click", () => open(stepSeed(seed, 1)));
  $("#random").addEventListener("click", () => open(randomSeed()));
  // Enter fires both change and submit; an empty box (or one a number input rejects) does nothing.
  const openTyped = () => {
    const typed = input.value.trim();
    if (typed && typed !== seed) open(typed);
  };
  $("#seed-form").addEventListener("submit", (event) => {
    event.preventDefault();
    openTyped();
  });
  input.addEventListener("change", openTyped);
  addDownload(section.querySelector(".download"), {
    scales: [1, 4, 8, 16, 32, 64],
    scale: 16,
    pixels: 40,
    errorBox,
    request: (scale) => ({ url: faceUrl(seed, scale, look), filename: `pixelgan-seed-${seed}-${40 * scale}px.png` }),
  });

  return {
    section,
    async show(params) {
      seed = params.get("seed");
      look = lookQuery(params);
      if (seed === null || seed === "") return go({ seed: randomSeed() }, { replace: true });
      input.value = seed;
      $("#seed-label").textContent = seed;
      face.alt = `the face for seed ${seed}`;
      document.title = `seed ${seed} · pixelgan`;
      const outcome = await loadImage(face, faceUrl(seed, 1, look));
      if (!outcome.stale) showError(errorBox, outcome.error);
    },
    key(key) {
      if (key === "ArrowLeft") open(stepSeed(seed, -1));
      else if (key === "ArrowRight") open(stepSeed(seed, 1));
      else if (key === "r") open(randomSeed());
      else return false;
      return true;
    },
  };
}

/** Consecutive seeds as thumbnails; a click opens the face. */
export function gridView(go) {
  const section = $("#grid-view");
  const list = $("#grid");
  const startInput = $("#grid-seed");
  const countSelect = $("#grid-n");
  const errorBox = section.querySelector(".error");
  let start = 0;
  let count = 16;
  let look = "";

  const page = (next, n = count, options = {}) => go({ view: "grid", seed: next, n }, options);
  $("#grid-prev").addEventListener("click", () => page(stepSeed(start, -count)));
  $("#grid-next").addEventListener("click", () => page(stepSeed(start, count)));
  $("#grid-random").addEventListener("click", () => page(randomSeed()));
  const openTyped = () => {
    const typed = startInput.value.trim();
    if (typed && typed !== String(start)) page(typed);
  };
  $("#grid-form").addEventListener("submit", (event) => {
    event.preventDefault();
    openTyped();
  });
  startInput.addEventListener("change", openTyped);
  countSelect.addEventListener("change", () => page(start, countSelect.value));
  list.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-seed]");
    if (button) go({ seed: button.dataset.seed });
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
      if (seed === null || seed === "") return page(randomSeed(), params.get("n") || count, { replace: true });
      count = [16, 36, 64].includes(Number(params.get("n"))) ? Number(params.get("n")) : 16;
      countSelect.value = String(count);
      startInput.value = seed;
      showError(errorBox, null);
      if (!isSeed(seed)) {
        // Not a seed: let the API say why, in its own words.
        list.replaceChildren();
        return fetchBlob(`/grid?seed=${encodeURIComponent(seed)}&n=${count}&scale=1`).catch((failure) =>
          showError(errorBox, failure.message),
        );
      }
      start = Number(seed);
      document.title = `seeds ${start}.. · pixelgan`;
      list.style.setProperty("--columns", Math.ceil(Math.sqrt(count)));
      const seeds = Array.from({ length: count }, (_, index) => start + index).filter((s) => s < SEEDS);
      list.replaceChildren(...seeds.map(thumbnail));
      const outcomes = await Promise.all(
        [...list.querySelectorAll("img")].map((img) => loadImage(img, faceUrl(img.dataset.seed, 1, look))),
      );
      const failed = outcomes.find((outcome) => outcome.error && !outcome.stale);
      if (failed) showError(errorBox, failed.error);
    },
    key(key) {
      if (key === "ArrowLeft") page(stepSeed(start, -count));
      else if (key === "ArrowRight") page(stepSeed(start, count));
      else if (key === "r") page(randomSeed());
      else return false;
      return true;
    },
  };
}

/** The API request for one face; `look` is lookQuery's text. */
export function faceUrl(seed, scale, look = "") {
  return `/generate?seed=${encodeURIComponent(seed)}&scale=${scale}${look}`;
}

function thumbnail(seed) {
  const item = document.createElement("li");
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.seed = seed;
  button.title = `open seed ${seed}`;
  const img = document.createElement("img");
  img.className = "pixels";
  img.width = img.height = 40;
  img.alt = `seed ${seed}`;
  img.dataset.seed = seed;
  const caption = document.createElement("span");
  caption.textContent = seed;
  button.append(img, caption);
  item.append(button);
  return item;
}
