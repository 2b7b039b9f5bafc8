// Delays between attempts: exponential from `initialMs` up to `maxMs`, each jittered down by up to `jitter` of
// itself so that many clients do not retry in step.

export interface BackoffSettings {
  initialMs: number;
  maxMs: number;
  /** Growth per attempt. Default 2. */
  factor?: number;
  /** 0..1: how much of each delay may be taken off at random. Default 0.2. */
  jitter?: number;
}

/** The delay before attempt `attempt` (0 = the first retry). `random` in [0, 1). */
export function backoffDelay(settings: BackoffSettings, attempt: number, random: () => number = Math.random): number {
  const factor = settings.factor ?? 2;
  const jitter = settings.jitter ?? 0.2;
  const base = Math.min(settings.maxMs, settings.initialMs * factor ** Math.max(0, attempt));
  return Math.round(base * (1 - jitter * random()));
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
