// The pixel-art look: grey levels and a dither, which /generate, /grid, /morph and /pixelate
// all take. It lives in the page's URL (/?seed=42&levels=4&dither=bayer4) beside the seed,
// so it is shared with the link and kept from view to view; the defaults are left out.
//
//   const look = lookQuery(params);                 // "&levels=4&dither=bayer4", or ""
//   fetch(`/generate?seed=42&scale=1${look}`);

const DEFAULTS = { levels: "256", dither: "none" };

/** The look in these URL parameters, as query text to add to an API request. */
export function lookQuery(params) {
  const look = new URLSearchParams();
  for (const name of Object.keys(DEFAULTS)) if (params.get(name)) look.set(name, params.get(name));
  const text = look.toString();
  return text ? `&${text}` : "";
}

/** The look of the URL shown now, as parameters for the next one. */
export function currentLook() {
  const params = new URLSearchParams(location.search);
  return Object.fromEntries(Object.keys(DEFAULTS).map((name) => [name, params.get(name)]));
}

/**
 * Wire the look form: shown only when the API takes `levels` (`features` from apiFeatures),
 * with the dithers the API lists; a change goes to the same view with the new look.
 */
export function lookForm(features, go) {
  const form = document.querySelector("#look-form");
  const accepted = features.params["/generate"] || new Set();
  form.hidden = !accepted.has("levels");
  const dithers = features.choices.dither || ["none"];
  form.elements.dither.replaceChildren(...dithers.map((value) => new Option(value, value)));
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", () => {
    const params = Object.fromEntries(new URLSearchParams(location.search));
    for (const name of Object.keys(DEFAULTS)) {
      const value = form.elements[name].value.trim();
      params[name] = value && value !== DEFAULTS[name] ? value : null;
    }
    go(params);
  });
  return {
    /** Show the look of `params` in the form, moved into `slot` (each view has one). */
    show(params, slot) {
      if (slot && form.parentElement !== slot) slot.append(form);
      for (const [name, fallback] of Object.entries(DEFAULTS)) form.elements[name].value = params.get(name) || fallback;
    },
  };
}
