// @ts-check
// The upload queue: files checked as they are added (type and size, before anything is sent), then labelled a
// few at a time, each cancellable and, when it did not end well, retryable. No DOM: `onChange` tells the view
// which item changed, and tests drive it in Node with a labeller of their own.

/**
 * @typedef {import('../client/dist/index.js').ImageBlob} ImageBlob
 * @typedef {import('../client/dist/index.js').LabelImageProgress} LabelImageProgress
 * @typedef {{ minConfidence?: number, maxLabels?: number, callbackUrl?: string }} LabelSettings
 * @typedef {'checking' | 'refused' | 'ready' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled'} ItemState
 * @typedef {{
 *   id: number,
 *   file: File,
 *   state: ItemState,
 *   progress: LabelImageProgress | null,
 *   blob: ImageBlob | null,
 *   error: unknown,
 *   settings: LabelSettings,
 *   attempts: number,
 *   controller: AbortController | null,
 * }} QueueItem
 * @typedef {{
 *   check(file: File): Promise<unknown>,
 *   label(file: File, options: LabelSettings & { signal: AbortSignal, onProgress(progress: LabelImageProgress): void }): Promise<ImageBlob>,
 *   concurrency?: number,
 *   onChange(item: QueueItem): void,
 * }} QueueOptions
 */

/** Final statuses worth sending again: the image was fine, the service was not (or the blob went away). */
const RETRYABLE_STATUSES = ['FAILED', 'EXPIRED', 'DELETED'];

/** @param {QueueItem} item */
export function canRetry(item) {
  if (item.state === 'failed' || item.state === 'cancelled') return true;
  return item.state === 'done' && item.blob !== null && RETRYABLE_STATUSES.includes(item.blob.status);
}

/** @param {QueueItem} item */
export function canCancel(item) {
  return item.state === 'queued' || item.state === 'running';
}

/** @param {QueueItem} item */
export function isFinished(item) {
  return item.state === 'done' || item.state === 'failed' || item.state === 'cancelled' || item.state === 'refused';
}

/** @param {unknown} error */
function isAbort(error) {
  return error instanceof Error && error.name === 'AbortError';
}

/** @param {QueueOptions} options */
export function createUploadQueue(options) {
  const concurrency = options.concurrency ?? 2;
  /** @type {QueueItem[]} */
  const items = [];
  let nextId = 1;
  let running = 0;

  /** @param {QueueItem} item @param {Partial<QueueItem>} change */
  function update(item, change) {
    Object.assign(item, change);
    options.onChange(item);
  }

  function pump() {
    while (running < concurrency) {
      const item = items.find((candidate) => candidate.state === 'queued');
      if (!item) return;
      void run(item);
    }
  }

  /** @param {QueueItem} item */
  async function run(item) {
    running += 1;
    const controller = new AbortController();
    update(item, { state: 'running', controller, progress: null, blob: null, error: null, attempts: item.attempts + 1 });
    try {
      const blob = await options.label(item.file, {
        ...item.settings,
        signal: controller.signal,
        onProgress: (progress) => {
          if (item.controller === controller) update(item, { progress, blob: 'blob' in progress ? progress.blob : item.blob });
        },
      });
      if (item.controller === controller) update(item, { state: 'done', blob, controller: null });
    } catch (error) {
      if (item.controller === controller) {
        update(item, { state: isAbort(error) || controller.signal.aborted ? 'cancelled' : 'failed', error, controller: null });
      }
    } finally {
      running -= 1;
      pump();
    }
  }

  return {
    /** @returns {readonly QueueItem[]} */
    items: () => items,

    /** Adds files; each is checked at once and becomes `ready`, or `refused` with the reason. @param {Iterable<File>} files */
    add(files) {
      const added = [...files].map((file) => {
        /** @type {QueueItem} */
        const item = { id: nextId++, file, state: 'checking', progress: null, blob: null, error: null, settings: {}, attempts: 0, controller: null };
        items.push(item);
        options.onChange(item);
        options.check(file).then(
          () => update(item, { state: item.state === 'checking' ? 'ready' : item.state }),
          (error) => update(item, { state: 'refused', error }),
        );
        return item;
      });
      return added;
    },

    /** Labels every ready file with these settings. @param {LabelSettings} settings */
    start(settings) {
      for (const item of items) {
        if (item.state === 'ready') update(item, { state: 'queued', settings: { ...settings } });
      }
      pump();
    },

    /** @param {number} id */
    cancel(id) {
      const item = items.find((candidate) => candidate.id === id);
      if (!item || !canCancel(item)) return;
      if (item.state === 'queued') update(item, { state: 'cancelled' });
      else item.controller?.abort();
    },

    /** @param {number} id */
    retry(id) {
      const item = items.find((candidate) => candidate.id === id);
      if (!item || !canRetry(item)) return;
      update(item, { state: 'queued', error: null, progress: null });
      pump();
    },

    /** Forgets an item that is not running. @param {number} id */
    remove(id) {
      const index = items.findIndex((candidate) => candidate.id === id);
      if (index < 0 || items[index].state === 'running' || items[index].state === 'queued') return null;
      return items.splice(index, 1)[0];
    },

    /** Stops everything (sign-out): running labellings are abandoned and the queue emptied. */
    clear() {
      for (const item of items) item.controller?.abort();
      const removed = items.splice(0);
      for (const item of removed) item.controller = null;
      return removed;
    },

    /** True while something is queued or running. */
    busy: () => items.some((item) => item.state === 'queued' || item.state === 'running'),
  };
}
