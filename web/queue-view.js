// @ts-check
// The upload queue on the page: one row per file with its thumbnail (shown only once the file passed the type check,
// so a non-image never shows a broken picture), its progress, what it is doing, its error card, and its actions.
import { el, fillErrorCard } from './dom.js';
import { ApiError, toApiError } from './errors.js';
import { formatBytes, formatPercent, retryText, statusText } from './format.js';
import { canCancel, canRetry, isFinished } from './upload-queue.js';

/**
 * @typedef {import('./upload-queue.js').QueueItem} QueueItem
 * @typedef {{ cancel(id: number): void, retry(id: number): void, show(id: number): void, remove(id: number): void }} ItemActions
 */

/** @param {QueueItem} item */
export function itemStatusText(item) {
  switch (item.state) {
    case 'checking':
      return 'Checking…';
    case 'refused':
      return `Not uploaded: ${toApiError(item.error).type}`;
    case 'ready':
      return 'Ready';
    case 'queued':
      return 'Queued';
    case 'cancelled':
      return 'Cancelled';
    case 'failed':
      return `Failed: ${toApiError(item.error).type}`;
    case 'done': {
      const blob = item.blob;
      if (!blob) return 'Done';
      if (blob.status !== 'LABELLED') return `${statusText(blob.status)}${blob.error ? `: ${blob.error.code}` : ''}`;
      const top = (blob.labels ?? []).slice(0, 3).map((label) => `${label.name} ${formatPercent(label.confidence)}`);
      return `Labelled${top.length ? `: ${top.join(', ')}` : ' (no label reached the minimum confidence)'}`;
    }
    case 'running': {
      const progress = item.progress;
      switch (progress?.phase) {
        case 'uploading':
          return `Uploading ${Math.floor((progress.loaded / Math.max(progress.total, 1)) * 100)}%`;
        case 'processing':
          return 'Labelling…';
        case 'reconnecting':
          return 'Labelling… (reconnecting)';
        case 'subscribing':
          return 'Subscribing…';
        default:
          return 'Creating blob…';
      }
    }
  }
}

/** 0..1 for the item's bar: the upload's bytes, full once uploaded. @param {QueueItem} item */
function fraction(item) {
  if (item.state === 'done') return 1;
  const progress = item.progress;
  if (!progress) return 0;
  if (progress.phase === 'uploading') return progress.loaded / Math.max(progress.total, 1);
  return progress.phase === 'processing' || progress.phase === 'reconnecting' || progress.phase === 'done' ? 1 : 0;
}

/** @param {QueueItem} item */
function outcomeClass(item) {
  if (item.state === 'done') return item.blob?.status === 'LABELLED' ? 'ok' : 'bad';
  return item.state === 'failed' || item.state === 'refused' ? 'bad' : '';
}

/**
 * @param {HTMLElement} list
 * @param {ItemActions} actions
 */
export function createQueueView(list, actions) {
  /** @type {Map<number, { row: HTMLElement, thumbUrl: string | null }>} */
  const rows = new Map();

  /**
   * @param {QueueItem} item @param {string} text @param {string} className @param {() => void} onClick
   * @returns {HTMLElement}
   */
  function button(item, text, className, onClick) {
    const control = el('button', { type: 'button', class: `${className} small`, 'aria-label': `${text} ${item.file.name}` }, text);
    control.addEventListener('click', onClick);
    return control;
  }

  /** @param {QueueItem} item */
  function create(item) {
    const row = el('li', { class: 'queue-item', 'data-item-id': String(item.id), 'data-file': item.file.name },
      el('div', { class: 'thumb', 'aria-hidden': 'true' }, el('span', { class: 'thumb-placeholder' }, extensionOf(item.file.name))),
      el('div', { class: 'item-body' },
        el('p', { class: 'item-head' },
          el('span', { class: 'item-name' }, item.file.name), ' ',
          el('span', { class: 'item-size hint' }, formatBytes(item.file.size))),
        el('progress', { class: 'item-progress', max: '1', value: '0', 'aria-label': `Progress of ${item.file.name}` }),
        el('p', { class: 'item-status' }),
        el('div', { class: 'item-error error', role: 'alert', hidden: '' })),
      el('div', { class: 'item-actions' }));
    list.append(row);
    const entry = { row, thumbUrl: /** @type {string | null} */ (null) };
    rows.set(item.id, entry);
    return entry;
  }

  /** A thumbnail once the bytes are known to be JPEG or PNG. @param {QueueItem} item @param {{ row: HTMLElement, thumbUrl: string | null }} entry */
  function showThumbnail(item, entry) {
    if (entry.thumbUrl || item.state === 'checking' || item.state === 'refused') return;
    entry.thumbUrl = URL.createObjectURL(item.file);
    const image = el('img', { alt: '', src: entry.thumbUrl, class: 'thumb-image' });
    image.addEventListener('error', () => image.replaceWith(el('span', { class: 'thumb-placeholder' }, '?')), { once: true });
    /** @type {HTMLElement} */ (entry.row.querySelector('.thumb')).replaceChildren(image);
  }

  return {
    /** @param {QueueItem} item */
    render(item) {
      const entry = rows.get(item.id) ?? create(item);
      const { row } = entry;
      row.dataset.state = item.state;
      row.dataset.outcome = outcomeClass(item);
      if (item.blob) row.dataset.blobId = item.blob.id;
      else delete row.dataset.blobId;
      showThumbnail(item, entry);
      /** @type {HTMLProgressElement} */ (row.querySelector('.item-progress')).value = fraction(item);
      /** @type {HTMLElement} */ (row.querySelector('.item-status')).textContent = itemStatusText(item);
      const blobError = item.state === 'done' ? item.blob?.error : null;
      const error = item.state === 'failed' || item.state === 'refused' ? item.error
        : blobError ? new ApiError('Blob', blobError.code, blobError.message, { details: [retryText(blobError)] }) : null;
      fillErrorCard(/** @type {HTMLElement} */ (row.querySelector('.item-error')), error);
      const controls = [];
      if (canCancel(item)) controls.push(button(item, 'Cancel', 'danger', () => actions.cancel(item.id)));
      if (canRetry(item)) controls.push(button(item, 'Retry', 'secondary', () => actions.retry(item.id)));
      if (item.state === 'done' && item.blob) controls.push(button(item, 'Show', 'secondary', () => actions.show(item.id)));
      if (isFinished(item)) controls.push(button(item, 'Remove', 'secondary', () => actions.remove(item.id)));
      /** @type {HTMLElement} */ (row.querySelector('.item-actions')).replaceChildren(...controls);
    },

    /** @param {number} id */
    remove(id) {
      const entry = rows.get(id);
      if (!entry) return;
      if (entry.thumbUrl) URL.revokeObjectURL(entry.thumbUrl);
      entry.row.remove();
      rows.delete(id);
    },

    clear() {
      for (const id of [...rows.keys()]) this.remove(id);
    },
  };
}

/** @param {string} name */
function extensionOf(name) {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1, dot + 5).toUpperCase() : 'FILE';
}
