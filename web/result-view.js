// @ts-check
// The result card: the blob's labels (name, confidence bar, parents, categories, aliases, boxes) and the image with
// every instance's bounding box (the file just uploaded, or the blob's short-lived image URL). Boxes are ratios of
// the image (0..1), placed as percentages of a frame that wraps the image exactly.
import { $, el } from './dom.js';
import { clampRatio, formatBytes, formatPercent } from './format.js';

const BOX_COLOURS = ['#d9480f', '#1971c2', '#2b8a3e', '#ae3ec9', '#e67700', '#0c8599', '#c2255c', '#5f3dc4'];

/**
 * @typedef {import('./api.js').ImageBlob} ImageBlob
 * @typedef {NonNullable<ImageBlob['labels']>[number]} Label
 * @typedef {{ file: File } | { url: string, name: string } | null} ImageSource
 */

/** Statuses whose bytes are an image: a REJECTED upload may be anything, so it is never shown. */
const SHOWABLE = ['LABELLED', 'FAILED'];

/**
 * Shows the blob's labels and, when there is an image to show, the image with its boxes: the file just uploaded,
 * or the owner's short-lived image URL of an older blob.
 * @param {ImageBlob | null} blob
 * @param {ImageSource} source
 */
export function showResult(blob, source) {
  const section = $('result');
  const image = /** @type {HTMLImageElement} */ ($('preview'));
  if (image.src.startsWith('blob:')) URL.revokeObjectURL(image.src);
  image.onerror = null;
  image.removeAttribute('src');
  $('boxes').replaceChildren();
  $('labels').replaceChildren();
  if (!blob) {
    section.hidden = true;
    return;
  }
  const labels = blob.labels ?? [];
  const colours = colourByLabel(labels);
  $('result-meta').textContent = [
    `Blob ${blob.id}`, blob.status, blob.contentType, blob.size != null ? formatBytes(blob.size) : null,
    `min confidence ${blob.minConfidence}`, `max labels ${blob.maxLabels}`,
    blob.callback ? `callback ${blob.callback.status.toLowerCase()} (${blob.callback.attempts} attempts)` : null,
  ].filter(Boolean).join(' · ');

  const frame = $('preview-frame');
  const showable = source !== null && SHOWABLE.includes(blob.status);
  frame.hidden = !showable;
  const noImage = $('no-image');
  noImage.hidden = showable;
  noImage.textContent = showable ? '' : noImageText(blob, source);
  if (showable && source) {
    const name = 'file' in source ? source.file.name : source.name;
    // A URL that stopped working (expired, deleted) leaves a note, never a broken image.
    image.onerror = () => {
      frame.hidden = true;
      noImage.hidden = false;
      noImage.textContent = 'The image could not be loaded (its link may have expired): show the blob again.';
      $('preview-caption').textContent = '';
    };
    image.src = 'file' in source ? URL.createObjectURL(source.file) : source.url;
    image.alt = `The image of blob ${blob.id}, ${name}`;
    const boxes = countBoxes(labels);
    $('preview-caption').textContent = `${name}: ${boxes} bounding box${boxes === 1 ? '' : 'es'}`;
    drawBoxes(labels, colours);
  } else {
    $('preview-caption').textContent = '';
  }
  renderLabels(labels, colours, blob.status);
  section.hidden = false;
}

/** @param {ImageBlob} blob @param {ImageSource} source */
function noImageText(blob, source) {
  if (blob.status === 'REJECTED') return 'No image to show: the upload was rejected (it is not an image the API can read).';
  if (blob.status === 'DELETED') return 'No image to show: the blob was deleted.';
  if (!SHOWABLE.includes(blob.status)) return `No image yet: the blob is ${blob.status.toLowerCase().replace(/_/g, ' ')}.`;
  return source === null ? 'The image is no longer available.' : '';
}

/** @param {Label[]} labels */
function colourByLabel(labels) {
  /** @type {Map<string, string>} */
  const colours = new Map();
  for (const label of labels) {
    if (label.instances.length) colours.set(label.name, BOX_COLOURS[colours.size % BOX_COLOURS.length]);
  }
  return colours;
}

/** @param {Label[]} labels */
function countBoxes(labels) {
  return labels.reduce((sum, label) => sum + label.instances.length, 0);
}

/**
 * Boxes are ratios of the image, so percentages of a frame that wraps the image exactly.
 * @param {Label[]} labels @param {Map<string, string>} colours
 */
function drawBoxes(labels, colours) {
  const layer = $('boxes');
  for (const label of labels) {
    for (const instance of label.instances) {
      const { left, top, width, height } = instance.boundingBox;
      // A box touching the top edge carries its tag inside, where it stays visible.
      const place = top < 0.06 ? 'box tag-inside' : 'box';
      const box = el('div', { class: place, 'data-label': label.name, 'aria-hidden': 'true' },
        el('span', { class: 'box-tag' }, `${label.name} ${formatPercent(instance.confidence)}`));
      box.style.left = `${clampRatio(left) * 100}%`;
      box.style.top = `${clampRatio(top) * 100}%`;
      box.style.width = `${clampRatio(width) * 100}%`;
      box.style.height = `${clampRatio(height) * 100}%`;
      box.style.setProperty('--colour', colours.get(label.name) ?? BOX_COLOURS[0]);
      layer.append(box);
    }
  }
}

/** @param {Label[]} labels @param {Map<string, string>} colours @param {string} status */
function renderLabels(labels, colours, status) {
  const list = $('labels');
  if (!labels.length) {
    list.append(el('li', { class: 'empty' }, status === 'LABELLED' ? 'No label reached the minimum confidence.' : 'No labels.'));
    return;
  }
  for (const label of labels) list.append(renderLabel(label, colours.get(label.name)));
}

/** @param {Label} label @param {string | undefined} colour */
function renderLabel(label, colour) {
  const bar = el('span', { class: 'bar', 'aria-hidden': 'true' }, el('span', { class: 'bar-fill' }));
  /** @type {HTMLElement} */ (bar.firstChild).style.width = `${Math.max(0, Math.min(100, label.confidence))}%`;
  const item = el('li', { class: 'label', 'data-label': label.name },
    el('div', { class: 'label-head' },
      colour ? el('span', { class: 'swatch', 'aria-hidden': 'true' }) : null,
      el('span', { class: 'label-name' }, label.name),
      el('span', { class: 'label-confidence' }, formatPercent(label.confidence))),
    bar,
    facts(label));
  if (colour) {
    item.style.setProperty('--colour', colour);
    item.tabIndex = 0;
    item.addEventListener('mouseenter', () => highlight(label.name, true));
    item.addEventListener('mouseleave', () => highlight(label.name, false));
    item.addEventListener('focus', () => highlight(label.name, true));
    item.addEventListener('blur', () => highlight(label.name, false));
  }
  return item;
}

/** @param {Label} label */
function facts(label) {
  const list = el('dl', { class: 'facts' });
  /** @type {Array<[string, string[]]>} */
  const rows = [['Parents', label.parents], ['Categories', label.categories], ['Aliases', label.aliases]];
  for (const [term, values] of rows) {
    if (values.length) list.append(el('dt', {}, term), el('dd', {}, values.join(', ')));
  }
  if (label.instances.length) {
    const count = label.instances.length;
    list.append(el('dt', {}, 'Boxes'), el('dd', {}, `${count} instance${count === 1 ? '' : 's'}`));
  }
  return list;
}

/** @param {string} name @param {boolean} on */
function highlight(name, on) {
  for (const box of $('boxes').querySelectorAll('.box')) {
    box.classList.toggle('dimmed', on && /** @type {HTMLElement} */ (box).dataset.label !== name);
  }
}
