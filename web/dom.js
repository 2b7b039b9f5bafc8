// @ts-check
// Small DOM helpers: find an element the page must have, build elements from text (never parsed as HTML), and
// render an error card.
import { errorDetails, toApiError } from './errors.js';

/** @param {string} id @returns {HTMLElement} */
export function $(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element;
}

/**
 * Creates an element; text children become text nodes (data is never parsed as HTML).
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {...(Node | string | null | undefined)} children
 */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child != null) element.append(child);
  return element;
}

/**
 * Fills the `role="alert"` box `id` with the error's source, stable type, message and what to do; hides it for null.
 * @param {string} id
 * @param {unknown} error
 * @param {{ passwordRules?: string }} [context]
 */
export function showErrorCard(id, error, context = {}) {
  fillErrorCard($(id), error, context);
}

/**
 * The same in a given element (an item of the upload queue has its own).
 * @param {HTMLElement} box
 * @param {unknown} error
 * @param {{ passwordRules?: string }} [context]
 */
export function fillErrorCard(box, error, context = {}) {
  box.replaceChildren();
  if (!error) {
    box.hidden = true;
    return;
  }
  const apiError = toApiError(error);
  const details = errorDetails(apiError, context);
  box.append(
    el('p', { class: 'error-title' },
      el('span', { class: 'error-source' }, apiError.source), ' ',
      el('code', { class: 'error-type', 'data-testid': 'error-type' }, apiError.type)),
    el('p', { class: 'error-message' }, apiError.message),
  );
  if (details.length) box.append(el('ul', { class: 'error-details' }, ...details.map((d) => el('li', {}, d))));
  box.hidden = false;
}
