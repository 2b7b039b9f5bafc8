// @ts-check
// "Your recent blobs": the signed-in user's blobs, newest first (the API lists no one else's), a page at a time
// with "Load more", as cards that wrap on a phone. Each can be shown again (labels, and the image through its
// short-lived URL), have its webhook sent again, or be deleted.
import { $, el, showErrorCard } from './dom.js';
import { formatPercent, formatTime, shortId, statusText } from './format.js';

/**
 * @typedef {import('./api.js').ImageBlob} ImageBlob
 * @typedef {import('./api.js').ImageLabelsClient} ImageLabelsClient
 * @typedef {{
 *   api(): ImageLabelsClient | null,
 *   epoch(): number,
 *   show(id: string): void,
 *   pageSize: number,
 * }} RecentOptions
 */

/** @param {RecentOptions} options */
export function createRecentList(options) {
  /** @type {string | null} */
  let nextToken = null;
  /** @type {ImageBlob[]} */
  let shown = [];

  const list = $('recent');
  const status = $('recent-status');
  const loadMore = /** @type {HTMLButtonElement} */ ($('load-more'));

  /** @param {ImageBlob} blob */
  function card(blob) {
    const top = (blob.labels ?? []).slice(0, 3).map((label) => `${label.name} ${formatPercent(label.confidence)}`);
    const showButton = el('button', { type: 'button', class: 'link', 'aria-label': `Show blob ${blob.id}` }, shortId(blob.id));
    showButton.title = blob.id;
    showButton.addEventListener('click', () => options.show(blob.id));
    const actions = el('div', { class: 'row-actions' });
    if (blob.callback) {
      const redeliver = el('button', { type: 'button', class: 'secondary small', 'aria-label': `Send the webhook of blob ${blob.id} again` }, 'Resend webhook');
      redeliver.addEventListener('click', () => void redeliverWebhook(blob.id));
      actions.append(redeliver);
    }
    const remove = el('button', { type: 'button', class: 'danger small', 'aria-label': `Delete blob ${blob.id}` }, 'Delete');
    remove.addEventListener('click', () => void removeBlob(blob.id));
    actions.append(remove);
    return el('li', { class: 'recent-item', 'data-blob-id': blob.id },
      el('div', { class: 'recent-head' },
        el('span', { class: 'mono' }, showButton),
        el('span', { class: `badge status-${blob.status.toLowerCase()}` }, statusText(blob.status)),
        el('time', { class: 'hint', datetime: blob.createdAt }, formatTime(blob.createdAt))),
      el('p', { class: 'recent-labels' }, top.length ? top.join(', ') : blob.error ? blob.error.code : '—'),
      blob.callback
        ? el('p', { class: 'webhook' }, `Webhook: ${statusText(blob.callback.status)}, ${blob.callback.attempts} attempt${blob.callback.attempts === 1 ? '' : 's'}`)
        : null,
      actions);
  }

  function render() {
    list.replaceChildren(...shown.map(card));
    loadMore.hidden = nextToken === null;
    const count = shown.length;
    status.textContent = count ? `${count} blob${count === 1 ? '' : 's'}, newest first${nextToken ? ' (more to load)' : ''}` : 'No blobs yet.';
  }

  /** @param {boolean} more the next page, or the first again */
  async function load(more) {
    const api = options.api();
    if (!api) return;
    const asked = options.epoch();
    status.textContent = 'Loading…';
    try {
      const page = await api.listBlobs({ limit: options.pageSize, nextToken: more ? nextToken : null });
      if (asked !== options.epoch()) return;
      showErrorCard('recent-error', null);
      shown = more ? [...shown, ...page.items.filter((blob) => !shown.some((known) => known.id === blob.id))] : page.items;
      nextToken = page.nextToken;
      render();
    } catch (error) {
      if (asked !== options.epoch()) return;
      status.textContent = 'Cannot list your blobs.';
      showErrorCard('recent-error', error);
    }
  }

  /** Runs an action for the current user; its error goes in the list's card. @param {(api: ImageLabelsClient) => Promise<string>} action */
  async function act(action) {
    const api = options.api();
    if (!api) return;
    const asked = options.epoch();
    showErrorCard('recent-error', null);
    try {
      const said = await action(api);
      if (asked === options.epoch()) status.textContent = said;
    } catch (error) {
      if (asked === options.epoch()) showErrorCard('recent-error', error);
    }
  }

  /** @param {string} id */
  async function removeBlob(id) {
    if (!confirm(`Delete blob ${id}, its image and its labels?`)) return;
    await act(async (api) => {
      const deleted = await api.deleteBlob(id);
      await load(false);
      return deleted ? `Deleted blob ${id}.` : `Blob ${id} was already gone.`;
    });
  }

  /** @param {string} id */
  async function redeliverWebhook(id) {
    await act(async (api) => {
      const blob = await api.redeliverCallback(id);
      await load(false);
      const callback = blob?.callback;
      return callback ? `Webhook of blob ${id} sent again: ${statusText(callback.status).toLowerCase()}.` : `Blob ${id} is gone.`;
    });
  }

  $('refresh').addEventListener('click', () => void load(false));
  loadMore.addEventListener('click', () => void load(true));

  return {
    refresh: () => load(false),
    clear() {
      shown = [];
      nextToken = null;
      list.replaceChildren();
      loadMore.hidden = true;
      status.textContent = '';
      showErrorCard('recent-error', null);
    },
  };
}
