// The face view: one face large (/?seed=42), with previous/next/random and a download.
//
// Its state is the URL, through `go` (see page.js), so every face is a share link and the
// back button walks the seeds seen; the pixel-art look (levels, dither) rides along. The
// server puts the URL's face into the HTML (app/page_html.py), so the first one shows before
// this script runs; `loadImage` keeps it instead of fetching it again.

import { faceUrl, gridSide, loadImage, randomSeed, showError } from "./api.js";
import { markInvalid, readWhole, stepSeed } from "./address.js";
import { addDownload } from "./download.js";
import { lookQuery } from "./look.js";

const $ = (selector) => document.querySelector(selector);

export function faceView(go) {
  const section = $("#face-view");
  const input = $("#seed");
  const face = $("#face");
  const errorBox = section.querySelector(".error");
  let seed = null;
  let look = ""; // levels and dither from the URL, for every request
  let serverSeed = face.dataset.seed ?? null; // the face the server picked for a URL without a seed

  const open = (next) => go({ seed: next });
  $("#prev").addEventListener("click", () => open(stepSeed(seed, -1)));
  $("#next").addEventListener("click", () => open(stepSeed(seed, 1)));
  $("#random").addEventListener("click", () => open(randomSeed()));
  // Enter fires both change and submit; a box that is not a seed says so and keeps the face.
  const openTyped = () => {
    const typed = readWhole(input, "a seed");
    markInvalid(input, typed.error);
    if (typed.error) showError(errorBox, typed.error);
    else if (typed.value !== seed) open(typed.value);
  };
  $("#seed-form").addEventListener("submit", (event) => {
    event.preventDefault();
    openTyped();
  });
  input.addEventListener("change", openTyped);
  addDownload(section.querySelector(".download"), {
    scales: [1, 4, 8, 16, 32, 64],
    scale: 16,
    pixels: gridSide(),
    errorBox,
    request: async (scale) => {
      const side = await gridSide();
      const size = side ? `${side * scale}px` : `x${scale}`;
      return { url: faceUrl(seed, scale, look), filename: `pixelgan-seed-${seed}-${size}.png` };
    },
  });

  return {
    section,
    focusTarget: face,
    async show(params) {
      seed = params.get("seed");
      look = lookQuery(params);
      if (seed === null || seed === "") {
        const first = serverSeed ?? randomSeed();
        serverSeed = null;
        return go({ seed: first }, { replace: true });
      }
      input.value = seed;
      markInvalid(input, false);
      $("#seed-label").textContent = seed;
      face.alt = `the face for seed ${seed}`;
      document.title = `seed ${seed} · pixelgan`;
      const outcome = await loadImage(face, faceUrl(seed, 1, look));
      if (!outcome.stale) showError(errorBox, outcome.error);
    },
    key(key) {
      if (key === "ArrowLeft") open(stepSeed(seed, -1));
      else if (key === "ArrowRight") open(stepSeed(seed, 1));
      else if (key.toLowerCase() === "r") open(randomSeed());
      else return false;
      return true;
    },
  };
}
