// The photo view (/?view=photo): a photo, picked or dropped, shown beside its pixelated grid.
//
// The photo stays in this page's memory; each change of a control (or of the look, in the
// URL) posts it again to /pixelate, which pixelates it in memory and stores nothing. The crop
// control shows only where the API has it (read from /openapi.json).

import { apiFeatures, loadImage, showError } from "./api.js";
import { addDownload } from "./download.js";
import { lookQuery } from "./look.js";

const $ = (selector) => document.querySelector(selector);

export function photoView() {
  const section = $("#photo-view");
  const fileInput = $("#photo-file");
  const dropZone = $("#drop-zone");
  const form = $("#photo-form");
  const original = $("#original");
  const pixelated = $("#pixelated");
  const errorBox = section.querySelector(".error");
  let photo = null; // the File being shown
  let offersCrop = false; // whether this API's /pixelate takes crop
  let look = "";

  const download = addDownload(section.querySelector(".download"), {
    scales: [1, 4, 8, 16, 32],
    scale: 8,
    pixels: boxes(),
    errorBox,
    request: (scale) => (photo ? { ...pixelateRequest(scale), filename: `${stem(photo.name)}-pixels.png` } : null),
  });

  function boxes() {
    return Number($("#photo-boxes").value) || 40;
  }

  function pixelateRequest(scale) {
    const query = new URLSearchParams({ boxes: $("#photo-boxes").value, scale, color: $("#photo-color").checked });
    if (offersCrop) query.set("crop", form.elements.crop.value);
    const body = new FormData();
    body.append("file", photo, photo.name || "photo");
    return { url: `/pixelate?${query}${look}`, init: { method: "POST", body } };
  }

  async function render() {
    if (!photo) return;
    download.setPixels(boxes());
    const { url, init } = pixelateRequest(1);
    const outcome = await loadImage(pixelated, url, init);
    if (!outcome.stale) showError(errorBox, outcome.error);
  }

  function choose(file) {
    if (!file) return;
    photo = file;
    if (original.src.startsWith("blob:")) URL.revokeObjectURL(original.src);
    original.src = URL.createObjectURL(file);
    original.alt = `your photo, ${file.name}`;
    original.hidden = false;
    render();
  }

  // A file the browser cannot show (TIFF, or not an image at all) hides the original; the
  // service's answer still explains what happened.
  original.addEventListener("error", () => {
    original.hidden = true;
  });
  fileInput.addEventListener("change", () => choose(fileInput.files[0]));
  form.addEventListener("change", render);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    render();
  });
  for (const type of ["dragenter", "dragover"]) {
    dropZone.addEventListener(type, (event) => {
      event.preventDefault();
      dropZone.classList.add("dragging");
    });
  }
  dropZone.addEventListener("dragleave", () => dropZone.classList.remove("dragging"));
  dropZone.addEventListener("drop", (event) => {
    event.preventDefault();
    dropZone.classList.remove("dragging");
    choose(event.dataTransfer.files[0]);
  });

  apiFeatures().then((features) => {
    const crops = features.params["/pixelate"]?.has("crop") ? features.choices.crop || [] : [];
    form.elements.crop.replaceChildren(...crops.map((value) => new Option(value, value)));
    offersCrop = crops.length > 0;
    form.querySelector('[data-feature="crop"]').hidden = !offersCrop;
  });

  return {
    section,
    show(params) {
      document.title = "your photo · pixelgan";
      const shownLook = look;
      look = lookQuery(params);
      if (look !== shownLook) render();
    },
    key: () => false,
  };
}

function stem(name) {
  return (name || "photo").replace(/\.[^.]*$/, "") || "photo";
}
