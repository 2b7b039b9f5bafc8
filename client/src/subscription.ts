// A subscription that outlives its socket: resolves once the server acknowledged it (start_ack), then, whenever
// the connection drops, opens a new one with backoff until it is closed. Whatever was published between the drop
// and the new start_ack is lost: `onReconnected` tells the caller to read the state it waits for (labelImage polls).
import { isUnauthorized, type ImageLabelsError } from './errors.js';
import { backoffDelay, sleep, type BackoffSettings } from './backoff.js';
import { openSubscription, type OpenSubscription, type RealtimeEndpoint } from './realtime.js';
import type { TypedDocument } from './typed-document.js';

export const DEFAULT_RECONNECT: BackoffSettings = { initialMs: 500, maxMs: 10_000 };

export interface LiveSubscriptionHandlers<TResult> {
  onData(data: TResult): void;
  /** The connection dropped (or a reconnection failed); another attempt follows. */
  onDropped?(error: ImageLabelsError, attempt: number): void;
  /** Subscribed again after a drop. */
  onReconnected?(): void;
}

export interface LiveSubscription {
  close(): void;
}

/** Opens once; a refused token is refreshed and the subscription opened again, once. */
async function openAuthorized<TResult, TVariables>(
  endpoint: RealtimeEndpoint,
  document: TypedDocument<TResult, TVariables>,
  variables: TVariables,
  handlers: { onData(data: TResult): void; onEnd(error: ImageLabelsError): void },
  options: { signal: AbortSignal; operationName?: string },
): Promise<OpenSubscription> {
  try {
    return await openSubscription(endpoint, document, variables, handlers, options);
  } catch (error) {
    if (!isUnauthorized(error) || !(await endpoint.auth.refresh())) throw error;
    return openSubscription(endpoint, document, variables, handlers, options);
  }
}

export async function subscribeLive<TResult, TVariables>(
  endpoint: RealtimeEndpoint,
  document: TypedDocument<TResult, TVariables>,
  variables: TVariables,
  handlers: LiveSubscriptionHandlers<TResult>,
  options: { signal?: AbortSignal; reconnect?: BackoffSettings; operationName?: string } = {},
): Promise<LiveSubscription> {
  const stopped = new AbortController();
  const settings = options.reconnect ?? DEFAULT_RECONNECT;
  let current: OpenSubscription | null = null;
  let attempt = 0;

  const close = () => {
    if (stopped.signal.aborted) return;
    stopped.abort();
    options.signal?.removeEventListener('abort', close);
    current?.close();
    current = null;
  };
  const open = () => openAuthorized(endpoint, document, variables, { onData: handlers.onData, onEnd: dropped }, {
    signal: stopped.signal,
    operationName: options.operationName,
  });

  function dropped(error: ImageLabelsError): void {
    current = null;
    if (stopped.signal.aborted) return;
    handlers.onDropped?.(error, attempt);
    void reconnect();
  }

  async function reconnect(): Promise<void> {
    while (!stopped.signal.aborted) {
      try {
        await sleep(backoffDelay(settings, attempt), stopped.signal);
        attempt += 1;
        current = await open();
        attempt = 0;
        handlers.onReconnected?.();
        return;
      } catch (error) {
        if (stopped.signal.aborted) return;
        handlers.onDropped?.(error as ImageLabelsError, attempt);
      }
    }
  }

  if (options.signal?.aborted) throw options.signal.reason;
  options.signal?.addEventListener('abort', close, { once: true });
  try {
    current = await open();
  } catch (error) {
    close();
    throw error;
  }
  return { close };
}
