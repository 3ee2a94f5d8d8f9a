// Talking to the service: images fetched as blobs, every failure as the API's own sentence.
//
//   const outcome = await loadImage(img, "/generate?seed=42&scale=1");
//   showError(errorBox, outcome.error);   // null hides the box; outcome.code is the API's code
//
// Images are fetched rather than set as `src`, so an error response (JSON) is read and shown
// instead of a broken image, and a slow old response never replaces a newer one. The one
// exception is an img the server already put in the HTML with its `src` (the first face):
// it is kept as it loads, and fetched only if it fails, to learn why.

const latest = new WeakMap(); // img -> the ticket of its newest request

/** The error sentence of a failed response: the API's `detail`, or the status line. */
export async function errorSentence(response) {
  try {
    const body = await response.json();
    if (body && typeof body.detail === "string") return body.detail;
  } catch {
    // not JSON (a proxy's page, say): fall through to the status line
  }
  return `The service answered ${response.status} ${response.statusText}.`.replace(" .", ".");
}

/** A request the service refused or never answered: the sentence, and the API's code if any. */
export class ApiFailure extends Error {
  constructor(sentence, code = null) {
    super(sentence);
    this.code = code;
  }
}

/** Fetch `url` and return its body as a Blob; throws an ApiFailure. */
export async function fetchBlob(url, init) {
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new ApiFailure("Could not reach the service: check that it is running.", "unreachable");
  }
  if (!response.ok) {
    const code = await response
      .clone()
      .json()
      .then((body) => body.code ?? null)
      .catch(() => null);
    throw new ApiFailure(await errorSentence(response), code);
  }
  return response.blob();
}

/**
 * Show the image at `url` in `img`. Returns {error: null} once shown, {error: sentence, code}
 * when the service refused (the img is hidden, never left blank or broken), or {stale: true}
 * when a newer request for the same img was made meanwhile.
 */
export async function loadImage(img, url, init) {
  const ticket = {};
  latest.set(img, ticket);
  if (!init && img.getAttribute("src") === url && (await loadedInPlace(img))) {
    if (latest.get(img) !== ticket) return { stale: true };
    img.dataset.src = url;
    img.hidden = false;
    return { error: null };
  }
  let blob = null;
  let error = null;
  let code = null;
  try {
    blob = await fetchBlob(url, init);
  } catch (failure) {
    error = failure.message;
    code = failure.code ?? null;
  }
  if (latest.get(img) !== ticket) return { stale: true };
  const previous = img.src;
  if (error) {
    img.hidden = true;
    img.removeAttribute("src");
    delete img.dataset.src;
  } else {
    img.src = URL.createObjectURL(blob);
    img.dataset.src = url; // which API request this img shows
    img.hidden = false;
    await img.decode().catch(() => {}); // swap in one paint, without a flash of empty box
  }
  if (previous.startsWith("blob:")) URL.revokeObjectURL(previous);
  return { error, code };
}

/** Whether an img loading its own `src` (put there by the server) ends up showing it. */
async function loadedInPlace(img) {
  if (!img.complete) {
    await new Promise((resolve) => {
      img.addEventListener("load", resolve, { once: true });
      img.addEventListener("error", resolve, { once: true });
    });
  }
  return img.naturalWidth > 0;
}

/** Show `sentence` in an error box, or hide the box when it is null. */
export function showError(box, sentence) {
  box.textContent = sentence || "";
  box.hidden = !sentence;
}

/** Save a Blob as a file through a temporary link. */
export function saveBlob(blob, filename) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** The API request for one face; `look` is lookQuery's text. */
export function faceUrl(seed, scale, look = "") {
  return `/generate?seed=${encodeURIComponent(seed)}&scale=${scale}${look}`;
}

/** A random seed, 0..2^32-1. */
export function randomSeed() {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

let featuresPromise = null;
let modelPromise = null;

/**
 * What the served model is, from /model: {model_id, grid, ...}, or {error: sentence}. Read
 * once; a failure is not kept, so the next call asks again (the model may still be loading).
 */
export function modelInfo() {
  modelPromise ??= fetch("/model")
    .then(async (response) => (response.ok ? response.json() : { error: await errorSentence(response) }))
    .catch(() => ({ error: "Could not reach the service." }))
    .then((model) => {
      if (model.error) modelPromise = null;
      return model;
    });
  return modelPromise;
}

let modelsPromise = null;

/** The served models from /models, the default first: [{name, model_id, color, grid, ...}], [] on failure. */
export function servedModels() {
  modelsPromise ??= fetch("/models")
    .then((response) => (response.ok ? response.json() : { models: [] }))
    .catch(() => ({ models: [] }))
    .then((body) => {
      if (!body.models?.length) modelsPromise = null;
      return body.models || [];
    });
  return modelsPromise;
}

/** The side of the model's grid in cells (40 for the shipped one), or null while unknown. */
export function gridSide() {
  return modelInfo().then((model) => model.grid ?? null);
}

/**
 * What this service's API offers, read once from /openapi.json, so the page shows only the
 * controls the service has: {morph: bool, params: {"/pixelate": Set}, choices: {name: [values]}}.
 */
export function apiFeatures() {
  featuresPromise ??= fetch("/openapi.json")
    .then((response) => (response.ok ? response.json() : { paths: {} }))
    .catch(() => ({ paths: {} }))
    .then(describeApi);
  return featuresPromise;
}

function describeApi(spec) {
  const params = {};
  const choices = {};
  for (const [path, methods] of Object.entries(spec.paths || {})) {
    for (const operation of Object.values(methods)) {
      params[path] ??= new Set();
      for (const parameter of operation.parameters || []) {
        params[path].add(parameter.name);
        const values = enumValues(spec, parameter.schema);
        if (values) choices[parameter.name] = values;
      }
    }
  }
  return { morph: "/morph" in params, params, choices };
}

function enumValues(spec, schema) {
  if (!schema) return null;
  if (schema.$ref) return enumValues(spec, resolve(spec, schema.$ref));
  if (Array.isArray(schema.enum)) return schema.enum;
  for (const option of schema.anyOf || schema.allOf || []) {
    const values = enumValues(spec, option);
    if (values) return values;
  }
  return null;
}

function resolve(spec, ref) {
  return ref
    .replace(/^#\//, "")
    .split("/")
    .reduce((node, key) => (node ? node[key] : undefined), spec);
}
