// The morph view (/?view=morph&from=1&to=2): the looping walk between two seeds' latents,
// from GET /morph, beside the two end faces, with a download of the animation.
//
// page.js shows this view's tab only when the API has /morph.

import { loadImage, randomSeed, showError } from "./api.js";
import { faceUrl, stepSeed } from "./browse.js";
import { addDownload } from "./download.js";
import { lookQuery } from "./look.js";

const $ = (selector) => document.querySelector(selector);

export function morphView(go) {
  const section = $("#morph-view");
  const form = $("#morph-form");
  const errorBox = section.querySelector(".error");
  let current = null; // {from, to, frames, ms} of the animation shown
  let look = "";

  const formValues = () => ({
    from: $("#morph-from").value.trim(),
    to: $("#morph-to").value.trim(),
    frames: $("#morph-frames").value.trim(),
    ms: $("#morph-ms").value.trim(),
  });
  const open = (values, options) => go({ view: "morph", ...values }, options);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    open(formValues());
  });
  $("#morph-random").addEventListener("click", () => open({ ...formValues(), from: randomSeed(), to: randomSeed() }));
  addDownload(section.querySelector(".download"), {
    scales: [1, 4, 8, 16],
    scale: 8,
    pixels: 40,
    formats: ["gif", "webp", "png"],
    errorBox,
    request: (scale, format) =>
      current && {
        url: morphUrl(current, scale, format, look),
        filename: `pixelgan-morph-${current.from}-to-${current.to}.${format}`,
      },
  });

  return {
    section,
    async show(params) {
      const values = {
        from: params.get("from"),
        to: params.get("to"),
        frames: params.get("frames") || $("#morph-frames").value,
        ms: params.get("ms") || $("#morph-ms").value,
      };
      if (!values.from || !values.to) {
        const from = values.from || randomSeed();
        return open({ ...values, from, to: values.to || stepSeed(from, 1) }, { replace: true });
      }
      current = values;
      look = lookQuery(params);
      $("#morph-from").value = values.from;
      $("#morph-to").value = values.to;
      $("#morph-frames").value = values.frames;
      $("#morph-ms").value = values.ms;
      document.title = `morph ${values.from} to ${values.to} · pixelgan`;
      $("#morph").alt = `the walk from seed ${values.from} to seed ${values.to}`;
      const [walk] = await Promise.all([
        loadImage($("#morph"), morphUrl(values, 1, "gif", look)),
        loadImage($("#morph-from-face"), faceUrl(values.from, 1, look)),
        loadImage($("#morph-to-face"), faceUrl(values.to, 1, look)),
      ]);
      if (!walk.stale) showError(errorBox, walk.error);
    },
    key: () => false,
  };
}

function morphUrl({ from, to, frames, ms }, scale, format, look) {
  const query = new URLSearchParams({ from, to, frames, ms, format, scale });
  return `/morph?${query}${look}`;
}
