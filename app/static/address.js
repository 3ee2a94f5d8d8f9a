// The page's address: what each query parameter may hold, and what a bad one becomes.
//
//   const { params, notes } = cleanAddress(new URLSearchParams(location.search), fallbackSeed, choices);
//
// A link with a bad value (/?seed=abc, levels=1) still opens a working view: the value is
// replaced (a seed by the last face seen, or a random one; a count clamped to its range) and
// each replacement comes back as a sentence for the visitor, in the page's words, not the API's.
// Typed values are read with `readWhole`, which says the same things about a form's field.

export const SEEDS = 2 ** 32; // seeds are 0..2^32-1
const SEED_RANGE = `a whole number from 0 to ${SEEDS - 1}`;

/** Whether `text` is a seed the API takes: digits only, 0 to 2^32-1. */
export function isSeed(text) {
  return typeof text === "string" && /^\d{1,10}$/.test(text) && Number(text) < SEEDS;
}

/** `seed` moved by `delta`, wrapping around 0 and 2^32-1; a seed that is not a number counts as 0. */
export function stepSeed(seed, delta) {
  const number = Number(seed);
  const start = Number.isSafeInteger(number) ? number : 0;
  return (((start + delta) % SEEDS) + SEEDS) % SEEDS;
}

// name -> [smallest, largest, what it counts]; the same ranges as the inputs' min and max.
const COUNTS = {
  levels: [2, 256, "grey levels"],
  frames: [2, 120, "frames"],
  ms: [20, 2000, "milliseconds a frame"],
};

// name -> what a value that is not one of the service's choices becomes.
const FALLBACKS = { dither: "no dither", palette: "grey", model: "the default model" };

/**
 * The page's parameters with every bad value replaced, and a sentence for each replacement.
 * `fallbackSeed()` gives the seed a bad one becomes; `choices` are the values the service
 * takes, where known: {dither: [...], palette: [...], model: [names and ids]}.
 */
export function cleanAddress(params, fallbackSeed, choices = {}) {
  const clean = new URLSearchParams(params);
  const notes = [];
  const view = params.get("view") || "face";
  const seedNames = view === "morph" ? ["from", "to"] : view === "photo" ? [] : ["seed"];
  for (const name of seedNames) {
    const text = params.get(name);
    if (text === null || text === "" || isSeed(text)) continue;
    const seed = String(fallbackSeed());
    clean.set(name, seed);
    notes.push(`“${text}” is not a seed (a seed is ${SEED_RANGE}), so this is seed ${seed}.`);
  }
  for (const [name, [smallest, largest, what]] of Object.entries(COUNTS)) {
    const text = params.get(name);
    if (text === null || text === "") continue;
    if (!/^\d+$/.test(text)) {
      clean.delete(name);
      notes.push(`“${text}” is not a number of ${what}: the default is used.`);
    } else if (Number(text) < smallest || Number(text) > largest) {
      const clamped = String(Math.min(largest, Math.max(smallest, Number(text))));
      clean.set(name, clamped);
      notes.push(`${what[0].toUpperCase()}${what.slice(1)} go from ${smallest} to ${largest}: ${clamped}, not ${text}.`);
    }
  }
  for (const [name, fallback] of Object.entries(FALLBACKS)) {
    const value = params.get(name);
    const known = choices[name];
    if (value && known && !known.includes(value)) {
      clean.delete(name);
      const listed = name === "model" ? known.filter((_, index) => index % 2 === 0) : known; // names, not ids
      notes.push(`“${value}” is not a ${name} (${listed.join(", ")}), so ${fallback}.`);
    }
  }
  const palette = clean.get("palette");
  if (palette && palette !== "grey" && clean.get("levels")) {
    clean.delete("levels");
    notes.push(`The ${palette} palette has its own colours, so grey levels are left out.`);
  }
  return { params: clean, notes };
}

/**
 * The whole number typed in a number input, within its min and max: {value: "42"}, or
 * {error: sentence} naming the field (`name`) and its range.
 */
export function readWhole(input, name) {
  const text = input.value.trim();
  const [smallest, largest] = [Number(input.min), Number(input.max)];
  const range = `a whole number from ${smallest} to ${largest}`;
  if (text === "" && !input.validity.badInput) return { error: `Type ${name}: ${range}.` };
  if (!/^\d+$/.test(text) || Number(text) < smallest || Number(text) > largest) {
    return { error: `${name[0].toUpperCase()}${name.slice(1)} must be ${range}.` };
  }
  return { value: String(Number(text)) };
}

/** Mark `input` valid or not for assistive technology, beside the sentence that says why. */
export function markInvalid(input, invalid) {
  if (invalid) input.setAttribute("aria-invalid", "true");
  else input.removeAttribute("aria-invalid");
}
