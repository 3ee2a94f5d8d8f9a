// The photo view (/?view=photo): a photo, picked or dropped, shown beside its pixelated grid.
//
// The photo stays in this page's memory; each change of a control (or of the look, in the
// URL) posts it again to /pixelate, which pixelates it in memory and stores nothing. The crop
// control shows only where the API has it (read from /openapi.json). A picture and its
// caption show only once there is a picture, the download only once there is something to
// save, and a photo in which the face crop finds no face offers the centre crop.

import { loadImage, showError } from "./api.js";
import { markInvalid, readWhole } from "./address.js";
import { addDownload } from "./download.js";
import { lookQuery } from "./look.js";

const $ = (selector) => document.querySelector(selector);

export function photoView() {
  const section = $("#photo-view");
  const fileInput = $("#photo-file");
  const dropZone = $("#drop-zone");
  const form = $("#photo-form");
  const boxesInput = $("#photo-boxes");
  const original = $("#original");
  const pixelated = $("#pixelated");
  const noFace = $("#no-face");
  const downloadBox = section.querySelector(".download");
  const errorBox = section.querySelector(".error");
  let photo = null; // the File being shown
  let boxes = boxesInput.defaultValue; // the grid side of the last request
  let offersCrop = false; // whether this API's /pixelate takes crop
  let look = "";

  const download = addDownload(downloadBox, {
    scales: [1, 4, 8, 16, 32],
    scale: 8,
    pixels: Number(boxes),
    errorBox,
    request: (scale) => ({ ...pixelateRequest(scale), filename: `${stem(photo.name)}-pixels.png` }),
  });

  function pixelateRequest(scale) {
    const query = new URLSearchParams({ boxes, scale, color: $("#photo-color").checked });
    if (offersCrop) query.set("crop", form.elements.crop.value);
    const body = new FormData();
    body.append("file", photo, photo.name || "photo");
    return { url: `/pixelate?${query}${look}`, init: { method: "POST", body } };
  }

  async function render() {
    const typed = readWhole(boxesInput, "the grid");
    markInvalid(boxesInput, typed.error);
    if (typed.error) return showError(errorBox, typed.error);
    boxes = typed.value;
    if (!photo) return;
    download.setPixels(Number(boxes));
    const { url, init } = pixelateRequest(1);
    pixelated.alt = `your photo as a ${boxes}x${boxes} grid`;
    const outcome = await loadImage(pixelated, url, init);
    if (outcome.stale) return;
    showError(errorBox, outcome.error);
    $("#pixelated-figure").hidden = Boolean(outcome.error);
    downloadBox.hidden = Boolean(outcome.error);
    noFace.hidden = !(outcome.code === "no_face" && offersCrop);
  }

  function choose(file) {
    if (!file) return;
    photo = file;
    if (original.src.startsWith("blob:")) URL.revokeObjectURL(original.src);
    original.src = URL.createObjectURL(file);
    original.alt = `your photo, ${file.name}`;
    $("#original-figure").hidden = false;
    render();
  }

  // A file the browser cannot show (TIFF, or not an image at all) hides the original; the
  // service's answer still explains what happened.
  original.addEventListener("error", () => {
    $("#original-figure").hidden = true;
  });
  fileInput.addEventListener("change", () => choose(fileInput.files[0]));
  form.addEventListener("change", render);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    render();
  });
  $("#use-center-crop").addEventListener("click", () => {
    form.elements.crop.value = "center";
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

  return {
    section,
    show(params) {
      document.title = "your photo · pixelgan";
      const shownLook = look;
      look = lookQuery(params);
      if (look !== shownLook) render();
    },
    /** Show the crop control where the API has it. */
    useFeatures(features) {
      const crops = features.params["/pixelate"]?.has("crop") ? features.choices.crop || [] : [];
      form.elements.crop.replaceChildren(...crops.map((value) => new Option(value, value)));
      offersCrop = crops.length > 0;
      form.querySelector('[data-feature="crop"]').hidden = !offersCrop;
    },
    key: () => false,
  };
}

function stem(name) {
  return (name || "photo").replace(/\.[^.]*$/, "") || "photo";
}
