// Holding one request of the local cloud (LocalCloudOptions.holds) so that a test orders a race instead of hoping for it.

/** The first request that asks is held until `release()`; later ones pass. `reached` resolves when it is held. */
export interface Hold<T> {
  hold(request: T): Promise<void>;
  /** The held request, once one arrived (rejects after `timeoutMs` of `reachedWithin`). */
  reachedWithin(timeoutMs: number): Promise<T>;
  release(): void;
}

export function holdFirst<T>(what: string): Hold<T> {
  let arrived!: (request: T) => void;
  const reached = new Promise<T>((resolve) => {
    arrived = resolve;
  });
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let taken = false;
  return {
    hold(request) {
      if (taken) return Promise.resolve();
      taken = true;
      arrived(request);
      return released;
    },
    reachedWithin: (timeoutMs) => within(reached, timeoutMs, what),
    release,
  };
}

/** `promise`, or a failure naming `what` after `timeoutMs`. */
export async function within<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
