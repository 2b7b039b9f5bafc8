// labelImage: the whole job in one call. Check the image → createBlob → subscribe to labelsReady and wait for
// start_ack (so the result cannot be published before anyone listens) → upload with progress → wait for the final
// state. Events can still be lost (a dropped socket, AppSync itself), so while waiting the blob is also read with
// backoff (1 s growing to 5 s): a missed event costs seconds. A dropped socket is reopened; every reconnection
// reads the blob at once. Aborting `signal` stops everything and, by default, deletes the blob it created.
import { backoffDelay, sleep, type BackoffSettings } from './backoff.js';
import type { ImageBlob, ImageLabelsClient, UploadTicket } from './client.js';
import { ImageLabelsError, isUnauthorized } from './errors.js';
import { checkImage, type ImageInput } from './image.js';
import { DEFAULT_RECONNECT, type LiveSubscription } from './subscription.js';

export const FINAL_STATUSES: ReadonlySet<string> = new Set(['LABELLED', 'FAILED', 'REJECTED', 'DELETED', 'EXPIRED']);
export const DEFAULT_POLL: BackoffSettings = { initialMs: 1000, maxMs: 5000, factor: 1.5 };

/** What labelsReady carries for a blob deleted before its final state; a read of such a blob finds nothing. */
export const BLOB_DELETED = { code: 'BlobDeleted', message: 'The blob was deleted before it reached a final state', retryable: false };

export type LabelImageProgress =
  | { phase: 'creating'; contentType: string; total: number }
  | { phase: 'subscribing'; blob: ImageBlob; upload: UploadTicket }
  | { phase: 'uploading'; blob: ImageBlob; loaded: number; total: number }
  | { phase: 'processing'; blob: ImageBlob }
  | { phase: 'reconnecting'; blob: ImageBlob; error: ImageLabelsError }
  | { phase: 'done'; blob: ImageBlob };

export interface LabelImageOptions {
  onProgress?(progress: LabelImageProgress): void;
  /** Cancels: labelImage rejects with the signal's reason. */
  signal?: AbortSignal;
  /** 0..100; the API's default is 55. */
  minConfidence?: number;
  /** 1..1000; the API's default is 20. */
  maxLabels?: number;
  /** Receives the result as a signed webhook. */
  callbackUrl?: string;
  /** A retried call with the same key gets the same blob. */
  idempotencyKey?: string;
  /** Delete the blob when cancelled after it was created (default true): nothing is left half done. */
  deleteOnAbort?: boolean;
  /** Reads of blob(id) while waiting. Default 1 s, ×1.5, up to 5 s. */
  poll?: BackoffSettings;
  /** Reconnections of a dropped socket. Default 0.5 s, ×2, up to 10 s. */
  reconnect?: BackoffSettings;
}

interface Waiter {
  /** Settles the wait with a blob in its final state (the first one wins). */
  settle(blob: ImageBlob): void;
  fail(error: unknown): void;
  promise: Promise<ImageBlob>;
}

function waiter(): Waiter {
  let settle!: (blob: ImageBlob) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<ImageBlob>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  promise.catch(() => undefined);
  return { settle, fail, promise };
}

export async function labelImage(client: ImageLabelsClient, image: ImageInput, options: LabelImageOptions = {}): Promise<ImageBlob> {
  const { signal } = options;
  const report = (progress: LabelImageProgress) => options.onProgress?.(progress);
  signal?.throwIfAborted();
  const checked = await checkImage(image);
  signal?.throwIfAborted();

  report({ phase: 'creating', contentType: checked.contentType, total: checked.size });
  const created = await client.createBlob({
    contentType: checked.contentType,
    contentLength: checked.size,
    minConfidence: options.minConfidence,
    maxLabels: options.maxLabels,
    callbackUrl: options.callbackUrl,
    idempotencyKey: options.idempotencyKey,
  }, { signal });
  let blob = created.blob;

  const result = waiter();
  const stop = new AbortController();
  const onAbort = () => stop.abort(signal?.reason);
  const stopped = aborted(stop.signal);
  signal?.addEventListener('abort', onAbort, { once: true });
  const live: { subscription: LiveSubscription | null } = { subscription: null };
  // Wakes the poll loop at once after a reconnection, when the event may have been missed; a wake that comes while
  // no read is waiting (one is in flight, or polling has not begun) makes the next read start without delay.
  const poller: { wake: (() => void) | null; pending: boolean } = { wake: null, pending: false };
  const wakePoller = () => {
    if (poller.wake) poller.wake();
    else poller.pending = true;
  };

  const accept = (candidate: ImageBlob) => {
    blob = candidate;
    if (FINAL_STATUSES.has(candidate.status)) result.settle(candidate);
  };

  try {
    report({ phase: 'subscribing', blob, upload: created.upload });
    const subscribe = () => client.subscribeLabelsReady(blob.id, {
      onData: accept,
      onDropped: (error) => report({ phase: 'reconnecting', blob, error }),
      onReconnected: wakePoller,
    }, { signal: stop.signal, reconnect: options.reconnect });
    try {
      live.subscription = await subscribe();
    } catch (error) {
      // A refusal is final; a network failure is not: keep trying in the background while the wait reads the blob.
      if (stop.signal.aborted || !(error instanceof ImageLabelsError) || !error.retryable) throw error;
      report({ phase: 'reconnecting', blob, error });
      void (async () => {
        for (let attempt = 0; !stop.signal.aborted; attempt += 1) {
          try {
            await sleep(backoffDelay(options.reconnect ?? DEFAULT_RECONNECT, attempt), stop.signal);
            live.subscription = await subscribe();
            wakePoller();
            return;
          } catch (retryError) {
            if (stop.signal.aborted) return;
            report({ phase: 'reconnecting', blob, error: retryError instanceof ImageLabelsError ? retryError : error });
          }
        }
      })();
    }

    report({ phase: 'uploading', blob, loaded: 0, total: checked.size });
    const uploaded = client.upload(created.upload, checked, {
      signal: stop.signal,
      onProgress: (loaded, total) => report({ phase: 'uploading', blob, loaded, total }),
    });
    uploaded.catch(() => undefined);
    // The blob can end before its upload does (deleted meanwhile).
    const early = await Promise.race([uploaded.then(() => null), result.promise, stopped]);
    if (early) return finish(early);

    report({ phase: 'processing', blob });
    void poll();
    return finish(await Promise.race([result.promise, stopped]));
  } catch (error) {
    if (signal?.aborted && options.deleteOnAbort !== false && !FINAL_STATUSES.has(blob.status)) {
      await client.deleteBlob(blob.id, { signal: AbortSignal.timeout(10_000) }).catch(() => undefined);
    }
    throw signal?.aborted ? signal.reason : error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stop.abort();
    poller.wake?.();
    live.subscription?.close();
  }

  function finish(final: ImageBlob): ImageBlob {
    report({ phase: 'done', blob: final });
    return final;
  }

  /** Reads blob(id) with backoff until the wait ends; an error only delays the next read. */
  async function poll(): Promise<void> {
    const settings = options.poll ?? DEFAULT_POLL;
    for (let attempt = 0; !stop.signal.aborted; attempt += 1) {
      if (poller.pending) {
        poller.pending = false;
      } else {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoffDelay(settings, attempt));
          poller.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        poller.wake = null;
      }
      if (stop.signal.aborted) return;
      try {
        const read = await client.getBlob(blob.id, { signal: stop.signal });
        accept(read ?? { ...blob, status: 'DELETED', labels: null, error: BLOB_DELETED });
      } catch (error) {
        if (isUnauthorized(error)) {
          result.fail(error);
          return;
        }
      }
    }
  }
}

/** Rejects with the signal's reason when it aborts (handled: it is only ever raced). */
function aborted(signal: AbortSignal): Promise<never> {
  const promise = new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
  promise.catch(() => undefined);
  return promise;
}
