// Delivering a final blob's result to its callback URL: attempts with exponential backoff and jitter, bounded by
// CALLBACK_MAX_ATTEMPTS and a time budget, every attempt recorded on the blob (conditional writes).
// Used after processing (process-upload) and on demand (redeliverCallback → deliver-callback).
import type { LocatedLogger } from '../commons/logger.ts';
import { type BlobRecord, isFinalStatus } from '../../domain/blob.ts';
import type { BlobStore } from '../storage/blob-store.ts';
import type { CallbackAttempt } from './callback-attempt.ts';
import { type CallbackTargetPolicy, type Transport, vetCallbackTarget } from './callback-target.ts';
import { createSecretsManagerClient } from '../commons/clients.ts';
import { type Clock, systemClock } from '../commons/clock.ts';
import type { WebhookSecretSource } from '../commons/config.ts';
import { DomainError, isDomainError } from '../commons/errors.ts';
import { sendWebhook, type SendOutcome, signedHeaders, webhookBody, type WebhookBody, webhookMessageId } from './webhook.ts';
import { type SecretProvider, webhookSecretProvider } from './webhook-secret.ts';

export interface DeliveryDependencies {
  store: Pick<BlobStore, 'recordCallbackAttempt'>;
  secret: SecretProvider;
  policy: CallbackTargetPolicy;
  clock: Clock;
  log: LocatedLogger;
  maxAttempts: number;
  timeoutMs: number;
  /** Total time the attempts and the waits between them may take. */
  budgetMs: number;
  transport?: Transport;
  /** 0 ≤ random() < 1, for the jitter. */
  random?: () => number;
}

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_MAX_MS = 16_000;
/** A Retry-After further away than this is not waited for: the delivery ends FAILED and can be redelivered later. */
export const MAX_RETRY_AFTER_MS = 30_000;

/** Delay before attempt `attempt + 1`: exponential, capped, with "equal jitter" (half fixed, half random). */
export function backoffDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * Delivers the result of a final blob that has a callback, and returns the record as the last attempt left it.
 * Never throws for the receiver's failures (they are recorded); throws when the signing secret is unavailable or
 * the table cannot be written. `content` is what is sent: the record's result unless told otherwise (a deletion).
 */
export async function deliverCallback(
  record: BlobRecord,
  deps: DeliveryDependencies,
  content: WebhookBody = webhookBody(record),
): Promise<BlobRecord> {
  const callback = record.callback;
  if (!callback) {
    return record;
  }
  const random = deps.random ?? Math.random;
  const secret = await deps.secret();
  const body = JSON.stringify(content);
  const messageId = webhookMessageId(record.id);
  const startedAt = deps.clock.now().getTime();
  let current = record;

  for (let attempt = 1; ; attempt += 1) {
    const at = deps.clock.now();
    const outcome = await attemptOnce(callback.url, secret, messageId, body, at, deps);
    const elapsedMs = deps.clock.now().getTime() - startedAt;
    const next = decide(outcome, attempt, elapsedMs, deps, random);
    deps.log.info('Callback attempt', {
      attempt,
      outcome: outcome.kind,
      reason: outcome.kind === 'delivered' ? `HTTP ${outcome.status}` : outcome.reason,
      target: originOf(callback.url),
      next: next.kind === 'retry' ? `retry in ${next.delayMs} ms` : next.attempt.status,
    });
    try {
      current = await deps.store.recordCallbackAttempt(record.id, next.attempt);
    } catch (error) {
      if (isDomainError(error, 'StaleRecord')) {
        deps.log.warn('Callback attempt not recorded: the blob was deleted or changed', { attempt });
        return current;
      }
      throw error;
    }
    if (next.kind === 'stop') {
      return current;
    }
    await deps.clock.sleep(next.delayMs);
  }
}

type Next = { kind: 'stop'; attempt: CallbackAttempt } | { kind: 'retry'; attempt: CallbackAttempt; delayMs: number };

function decide(
  outcome: SendOutcome,
  attempt: number,
  elapsedMs: number,
  deps: DeliveryDependencies,
  random: () => number,
): Next {
  const at = deps.clock.now();
  if (outcome.kind === 'delivered') {
    return { kind: 'stop', attempt: { status: 'DELIVERED', at } };
  }
  if (outcome.kind === 'final') {
    return { kind: 'stop', attempt: { status: 'FAILED', at, error: outcome.reason } };
  }
  if (attempt >= deps.maxAttempts) {
    return { kind: 'stop', attempt: { status: 'FAILED', at, error: `${outcome.reason}; gave up after ${attempt} attempts` } };
  }
  if (outcome.retryAfterMs !== undefined && outcome.retryAfterMs > MAX_RETRY_AFTER_MS) {
    const error = `${outcome.reason}; Retry-After of ${Math.ceil(outcome.retryAfterMs / 1000)} s is too far away`;
    return { kind: 'stop', attempt: { status: 'FAILED', at, error } };
  }
  const delayMs = Math.max(backoffDelay(attempt, random), outcome.retryAfterMs ?? 0);
  if (elapsedMs + delayMs + deps.timeoutMs > deps.budgetMs) {
    return { kind: 'stop', attempt: { status: 'FAILED', at, error: `${outcome.reason}; out of time for another attempt` } };
  }
  return { kind: 'retry', attempt: { status: 'PENDING', at, error: outcome.reason }, delayMs };
}

async function attemptOnce(
  url: string,
  secret: string,
  messageId: string,
  body: string,
  at: Date,
  deps: DeliveryDependencies,
): Promise<SendOutcome> {
  try {
    // Checked on every attempt: the host's addresses may change between attempts.
    const target = await vetCallbackTarget(url, deps.policy);
    const headers = signedHeaders(secret, messageId, at, body);
    return await sendWebhook(target, headers, body, { timeoutMs: deps.timeoutMs, now: at, transport: deps.transport });
  } catch (error) {
    if (isDomainError(error)) {
      return error.retryable ? { kind: 'retryable', reason: error.message } : { kind: 'final', reason: error.message };
    }
    throw error;
  }
}

/** Only the origin of a callback URL is logged: paths and queries may hold the receiver's tokens. */
function originOf(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : 'invalid URL';
}

// ---------------------------------------------------------------------------------------------------------------
// Wiring shared by the handlers, and redeliverCallback's checks.

/** Time kept back from the Lambda's remaining time when budgeting the delivery. */
export const DELIVERY_SAFETY_MARGIN_MS = 3_000;
/** Upper bound of a delivery's budget, whatever time the Lambda has left. */
export const MAX_DELIVERY_BUDGET_MS = 60_000;

export interface CallbackSettings {
  callbackMaxAttempts: number;
  callbackTimeoutMs: number;
  callbackAllowHttpLoopback: boolean;
}

export type CallbackDeliverer = (
  record: BlobRecord,
  log: LocatedLogger,
  remainingTimeMs?: number,
  content?: WebhookBody,
) => Promise<BlobRecord>;

/** A deliverer bound to the configuration; `remainingTimeMs` is the invocation's (context.getRemainingTimeInMillis()). */
export function callbackDeliverer(
  settings: CallbackSettings,
  store: Pick<BlobStore, 'recordCallbackAttempt'>,
  secret: SecretProvider,
  clock: Clock,
  extra: Pick<DeliveryDependencies, 'transport' | 'random'> & { resolve?: CallbackTargetPolicy['resolve'] } = {},
): CallbackDeliverer {
  return (record, log, remainingTimeMs, content) =>
    deliverCallback(record, {
      store,
      secret,
      clock,
      log,
      policy: { allowHttpLoopback: settings.callbackAllowHttpLoopback, resolve: extra.resolve },
      maxAttempts: settings.callbackMaxAttempts,
      timeoutMs: settings.callbackTimeoutMs,
      budgetMs: Math.max(
        0,
        Math.min(MAX_DELIVERY_BUDGET_MS, (remainingTimeMs ?? MAX_DELIVERY_BUDGET_MS) - DELIVERY_SAFETY_MARGIN_MS),
      ),
      transport: extra.transport,
      random: extra.random,
    }, content);
}

/**
 * What a handler delivers with: its callback settings, the signing secret they name (read from Secrets Manager and
 * kept a while, or given), the system clock; the store that records the attempts is the caller's.
 */
export function configuredDelivery(
  config: CallbackSettings & { webhookSecret: WebhookSecretSource },
): (store: Pick<BlobStore, 'recordCallbackAttempt'>) => CallbackDeliverer {
  const secret = webhookSecretProvider(config.webhookSecret, createSecretsManagerClient);
  return (store) => callbackDeliverer(config, store, secret, systemClock);
}

/**
 * redeliverCallback: sends a final blob's result to its callback again.
 * Throws DomainError NotFound (no blob), NoCallback (no callbackUrl) or NotReady (not final yet).
 */
export async function redeliverCallback(
  id: string,
  store: Pick<BlobStore, 'get'>,
  deliver: (record: BlobRecord) => Promise<BlobRecord>,
): Promise<BlobRecord> {
  const record = await store.get(id);
  if (record === null) {
    throw new DomainError('NotFound', `No blob with id ${id}`);
  }
  if (!record.callback) {
    throw new DomainError('NoCallback', `Blob ${id} has no callbackUrl`);
  }
  if (!isFinalStatus(record.status)) {
    throw new DomainError('NotReady', `Blob ${id} is ${record.status}: its result is not known yet`);
  }
  return deliver(record);
}
