// Per-field-invocation state that util, runtime and extensions write to. Handlers run synchronously, so the
// sandbox points `current` at the invocation for the duration of one handler call; concurrent field
// resolutions (interleaved at data-source awaits) each get their own state.
import type { AppSyncError, Identity, SubscriptionFilter } from './types.ts';

export interface SubscriptionInvalidation {
  subscriptionField: string;
  payload: Record<string, unknown>;
}

export interface InvocationState {
  typeName: string;
  fieldName: string;
  identity: Identity;
  /** util.appendError */
  appendedErrors: AppSyncError[];
  /** extensions.setSubscriptionFilter */
  subscriptionFilter: SubscriptionFilter | null;
  /** extensions.setSubscriptionInvalidationFilter */
  invalidationFilter: SubscriptionFilter | null;
  /** extensions.invalidateSubscriptions */
  invalidations: SubscriptionInvalidation[];
  /** util.http.addResponseHeader(s) */
  responseHeaders: Record<string, string>;
  /** extensions.evictFromApiCache (recorded only: the local API has no cache) */
  cacheEvictions: Array<{ typeName: string; fieldName: string; keys: Record<string, unknown> }>;
}

export function newInvocationState(typeName: string, fieldName: string, identity: Identity): InvocationState {
  return {
    typeName,
    fieldName,
    identity,
    appendedErrors: [],
    subscriptionFilter: null,
    invalidationFilter: null,
    invalidations: [],
    responseHeaders: {},
    cacheEvictions: [],
  };
}

let current: InvocationState | null = null;

export function currentInvocation(what: string): InvocationState {
  if (!current) {
    throw new Error(`${what} can only be called while a resolver handler runs`);
  }
  return current;
}

/** Runs a synchronous handler call with `state` as the current invocation. */
export function withInvocation<T>(state: InvocationState, run: () => T): T {
  const previous = current;
  current = state;
  try {
    return run();
  } finally {
    current = previous;
  }
}
