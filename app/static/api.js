// Talking to the service: images fetched as blobs, every failure as the API's own sentence.
//
//   const outcome = await loadImage(img, "/generate?seed=42&scale=1");
//   showError(errorBox, outcome.error);   // null hides the box
//
// Images are fetched rather than set as `src`, so an error response (JSON) is read and shown
// instead of a broken image, and a slow old response never replaces a newer one.

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

/** Fetch `url` and return its body as a Blob; throws an Error whose message is the sentence. */
export async function fetchBlob(url, init) {
  let response;
  try {
    response = await fetch(url, init);
  } catch {
    throw new Error("Could not reach the service: check that it is running.");
  }
  if (!response.ok) throw new Error(await errorSentence(response));
  return response.blob();
}

/**
 * Show the image at `url` in `img`. Returns {error: null} once shown, {error: sentence} when
 * the service refused (the img is hidden, never left blank or broken), or {stale: true} when
 * a newer request for the same img was made meanwhile.
 */
export async function loadImage(img, url, init) {
  const ticket = {};
  latest.set(img, ticket);
  let blob = null;
  let error = null;
  try {
    blob = await fetchBlob(url, init);
  } catch (failure) {
    error = failure.message;
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
  return { error };
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

/** A random seed, 0..2^32-1. */
export function randomSeed() {
  return crypto.getRandomValues(new Uint32Array(1))[0];
}

let featuresPromise = null;

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
