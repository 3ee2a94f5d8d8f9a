// The pixel-art look: the model that draws, a palette, grey levels and a dither, which
// /generate, /grid and /morph all take (/pixelate all but the model, and ignores it). It
// lives in the page's URL (/?seed=42&model=celebrity-mlp&palette=gameboy&dither=bayer4)
// beside the seed, so it is shared with the link and kept from view to view; the defaults
// are left out.
//
//   const look = lookQuery(params);                 // "&levels=4&dither=bayer4", or ""
//   fetch(`/generate?seed=42&scale=1${look}`);
//
// Every API request of every view adds lookQuery's text, so a parameter that all images
// share is one more entry in DEFAULTS and one more control in the form. A palette other
// than grey names its own colours, so levels are left out with it (the API refuses both).

// The default model's name is known once /models answers (useModels).
const DEFAULTS = { model: "", palette: "grey", levels: "256", dither: "none" };
// A dither spreads the greys between levels: at all 256 there are none, so choosing a dither
// there would change nothing. Choosing one at 256 brings the levels down to this.
const LEVELS_FOR_DITHER = "4";

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
 * Wire the look form; a change goes to the same view with the new look. It stays hidden until
 * `useFeatures` (from apiFeatures) says the API takes `levels`, and lists the dithers it names.
 */
export function lookForm(go) {
  const form = document.querySelector("#look-form");
  const { model, palette, levels, dither } = form.elements;
  const hint = form.querySelector("#look-hint");
  const modelLabel = form.querySelector("#look-model-label");
  let modelCount = 0;
  form.addEventListener("submit", (event) => event.preventDefault());
  form.addEventListener("change", (event) => {
    const grey = palette.value === DEFAULTS.palette;
    if (grey && event.target === dither && dither.value !== "none" && levelsValue() === DEFAULTS.levels) {
      levels.value = LEVELS_FOR_DITHER;
    }
    levels.value = levelsValue();
    const params = Object.fromEntries(new URLSearchParams(location.search));
    for (const name of Object.keys(DEFAULTS)) {
      const control = form.elements[name];
      // A select not filled yet (the models still coming) keeps the URL's value.
      if (control.tagName === "SELECT" && params[name] && !hasOption(control, params[name])) continue;
      const value = control.value.trim();
      params[name] = value && value !== DEFAULTS[name] ? value : null;
    }
    if (!grey) params.levels = null;
    go(params);
  });

  /** The levels typed, held within 2..256; a box emptied or not a number keeps the URL's levels. */
  function levelsValue() {
    const typed = Number.parseInt(levels.value, 10);
    if (Number.isNaN(typed)) return new URLSearchParams(location.search).get("levels") || DEFAULTS.levels;
    return String(Math.min(Number(levels.max), Math.max(Number(levels.min), typed)));
  }

  let shown = new URLSearchParams();
  function fill() {
    for (const [name, fallback] of Object.entries(DEFAULTS)) form.elements[name].value = shown.get(name) || fallback;
    const grey = palette.value === DEFAULTS.palette;
    levels.disabled = !grey;
    hint.hidden = !(grey && dither.value !== "none" && levels.value === DEFAULTS.levels);
  }

  return {
    /** Show the look of `params` in the form, moved into `slot` (each view has one). */
    show(params, slot) {
      if (slot && form.parentElement !== slot) slot.append(form);
      shown = params;
      // Photos are pixelated, not drawn: no model there.
      modelLabel.hidden = modelCount < 2 || Boolean(slot?.closest("#photo-view"));
      fill();
    },
    /** Offer the served models (from /models, the default first); the picker shows for two or more. */
    useModels(models) {
      modelCount = models.length;
      DEFAULTS.model = models[0]?.name ?? "";
      model.replaceChildren(
        ...models.map((entry) => new Option(`${entry.name}${entry.color ? " (colour)" : ""}`, entry.name)),
      );
      modelLabel.hidden = modelCount < 2 || Boolean(form.closest("#photo-view"));
      fill();
    },
    /** Show the form where the API takes the look, with the API's dithers. */
    useFeatures(features) {
      const dithers = features.choices.dither || ["none"];
      dither.replaceChildren(...dithers.map((value) => new Option(value, value)));
      const palettes = features.choices.palette || [DEFAULTS.palette];
      palette.replaceChildren(...palettes.map((value) => new Option(value, value)));
      form.querySelector("#look-palette-label").hidden = palettes.length < 2;
      fill();
      form.hidden = !(features.params["/generate"] || new Set()).has("levels");
    },
  };
}

function hasOption(select, value) {
  return Array.from(select.options).some((option) => option.value === value);
}
