// @ts-check
/**
 * The one error helper of the page, the widget and the workers: the readable text of
 * anything thrown or rejected (an Error's message, a wasm JsError's message, or the
 * value itself).
 */

/** @param {unknown} error */
export function errorText(error) {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'message' in error) return String(/** @type {any} */ (error).message);
  return String(error);
}
