// The morph view (/?view=morph&from=1&to=2): the looping walk between two seeds' latents,
// from GET /morph, beside the two end faces, with play/pause and a download of the animation.
//
// The walk comes as a GIF, decoded here (gif.js) and drawn by a player (player.js), so that
// it can be paused. page.js shows this view's tab only when the API has /morph.

import { faceUrl, fetchBlob, gridSide, loadImage, randomSeed, showError } from "./api.js";
import { markInvalid, readWhole, stepSeed } from "./address.js";
import { addDownload } from "./download.js";
import { decodeGif } from "./gif.js";
import { lookQuery } from "./look.js";
import { animationPlayer } from "./player.js";

const $ = (selector) => document.querySelector(selector);
// The form's fields: [name in the URL, input, how a message names it].
const FIELDS = [
  ["from", "#morph-from", "the first seed"],
  ["to", "#morph-to", "the second seed"],
  ["frames", "#morph-frames", "frames"],
  ["ms", "#morph-ms", "milliseconds a frame"],
];

export function morphView(go) {
  const section = $("#morph-view");
  const form = $("#morph-form");
  const canvas = $("#morph");
  const errorBox = section.querySelector(".error");
  const player = animationPlayer(canvas, $("#morph-toggle"));
  let current = null; // {from, to, frames, ms} of the walk shown
  let look = "";
  let latest = null; // the newest walk asked for, so an old answer never replaces it

  /** The form's values, or null after showing what is wrong with the first bad one. */
  function formValues() {
    const values = {};
    for (const [name, selector, label] of FIELDS) {
      const typed = readWhole($(selector), label);
      markInvalid($(selector), typed.error);
      if (typed.error) {
        showError(errorBox, typed.error);
        $(selector).focus();
        return null;
      }
      values[name] = typed.value;
    }
    return values;
  }
  const open = (values, options) => go({ view: "morph", ...values }, options);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const values = formValues();
    if (values) open(values);
  });
  $("#morph-random").addEventListener("click", () => {
    const values = formValues();
    if (values) open({ ...values, from: randomSeed(), to: randomSeed() });
  });
  addDownload(section.querySelector(".download"), {
    scales: [1, 4, 8, 16],
    scale: 8,
    pixels: gridSide(),
    formats: ["gif", "webp", "png"],
    errorBox,
    request: (scale, format) =>
      current && {
        url: morphUrl(current, scale, format, look),
        filename: `pixelgan-morph-${current.from}-to-${current.to}.${format}`,
      },
  });

  async function showWalk(url) {
    latest = url;
    let decoded = null;
    let error = null;
    try {
      decoded = decodeGif(new Uint8Array(await (await fetchBlob(url)).arrayBuffer()));
    } catch (failure) {
      error = failure.message;
    }
    if (latest !== url) return;
    if (decoded) {
      player.show(decoded);
      canvas.dataset.src = url; // which API request the canvas shows
    } else {
      player.hide();
      delete canvas.dataset.src;
    }
    showError(errorBox, error);
  }

  return {
    section,
    async show(params) {
      const values = {
        from: params.get("from"),
        to: params.get("to"),
        frames: params.get("frames") || $("#morph-frames").defaultValue,
        ms: params.get("ms") || $("#morph-ms").defaultValue,
      };
      if (!values.from || !values.to) {
        const from = values.from || randomSeed();
        return open({ ...values, from, to: values.to || stepSeed(from, 1) }, { replace: true });
      }
      current = values;
      look = lookQuery(params);
      for (const [name, selector] of FIELDS) {
        $(selector).value = values[name];
        markInvalid($(selector), false);
      }
      document.title = `morph from seed ${values.from} to seed ${values.to} · pixelgan`;
      canvas.setAttribute("aria-label", `the walk from seed ${values.from} to seed ${values.to} and back`);
      $("#morph-from-face").alt = `seed ${values.from}, where the walk starts`;
      $("#morph-to-face").alt = `seed ${values.to}, where the walk turns back`;
      await Promise.all([
        showWalk(morphUrl(values, 1, "gif", look)),
        loadImage($("#morph-from-face"), faceUrl(values.from, 1, look)),
        loadImage($("#morph-to-face"), faceUrl(values.to, 1, look)),
      ]);
    },
    key: () => false,
  };
}

function morphUrl({ from, to, frames, ms }, scale, format, look) {
  const query = new URLSearchParams({ from, to, frames, ms, format, scale });
  return `/morph?${query}${look}`;
}
