// What a handler can raise besides a value. These are host-realm objects thrown through the sandbox.
import type { AppSyncError } from './types.ts';

/** util.error: stops the handler; the field resolves to null with this error. */
export class ResolverError extends Error {
  constructor(readonly appSyncError: AppSyncError) {
    super(appSyncError.message);
    this.name = 'ResolverError';
  }
}

/** runtime.earlyReturn: stops the handler and returns `value` (skipping as `skipTo` says). */
export class EarlyReturn extends Error {
  constructor(
    readonly value: unknown,
    readonly skipTo: 'END' | 'NEXT',
  ) {
    super('runtime.earlyReturn');
    this.name = 'EarlyReturn';
  }
}

export function isResolverError(error: unknown): error is ResolverError {
  return error instanceof ResolverError;
}

export function isEarlyReturn(error: unknown): error is EarlyReturn {
  return error instanceof EarlyReturn;
}
