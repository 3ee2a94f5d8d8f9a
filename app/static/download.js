// A download control: a size (and, for animations, a format) and a button that fetches the
// image at that size from the API and saves it. Errors (say, a size over the API's limit)
// show in the view's error box as the API's sentence.
//
//   addDownload(container, { scales: [1, 8, 16], scale: 8, request: (scale) => ({url, filename}), errorBox });
//
// Sizes are labelled in pixels when the image's side is known (`pixels`, a number or a
// promise of one, such as the model's grid from /model), in multiples until then.

import { fetchBlob, saveBlob, showError } from "./api.js";

/**
 * Fill `container` with the control. `request(scale, format)` returns (or resolves to)
 * {url, init?, filename} for the current view, or null when there is nothing to download yet.
 */
export function addDownload(container, { scales, scale, formats = null, request, errorBox, pixels = null }) {
  const sizeLabel = label("size", select(scales.map((value) => [value, sizeText(value, null)]), scale));
  const formatLabel = formats ? label("format", select(formats.map((value) => [value, value.toUpperCase()]))) : null;
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = formats ? "Download" : "Download PNG";
  button.addEventListener("click", async () => {
    const format = formatLabel ? formatLabel.querySelector("select").value : "png";
    button.disabled = true;
    try {
      const wanted = await request(Number(sizeLabel.querySelector("select").value), format);
      if (!wanted) return;
      saveBlob(await fetchBlob(wanted.url, wanted.init), wanted.filename);
      showError(errorBox, null);
    } catch (failure) {
      showError(errorBox, failure.message);
    } finally {
      button.disabled = false;
    }
  });
  container.replaceChildren(...[sizeLabel, formatLabel, button].filter(Boolean));
  const control = {
    /** Relabel the sizes, e.g. when the grid of a photo changes. */
    setPixels(side) {
      for (const option of sizeLabel.querySelectorAll("option")) option.textContent = sizeText(+option.value, side);
    },
  };
  Promise.resolve(pixels).then((side) => control.setPixels(side));
  return control;
}

function sizeText(scale, pixels) {
  return pixels ? `${pixels * scale} px` : `${scale}x`;
}

function select(options, chosen) {
  const element = document.createElement("select");
  for (const [value, text] of options) {
    const option = new Option(text, value, false, value === chosen);
    element.append(option);
  }
  return element;
}

function label(text, control) {
  const element = document.createElement("label");
  element.append(`${text} `, control);
  return element;
}
