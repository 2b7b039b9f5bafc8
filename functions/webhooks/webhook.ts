// The result webhook: body, Standard Webhooks signature, one send, and what its outcome means.
import { Webhook } from 'standardwebhooks';
import type { BlobRecord } from '../../domain/blob.ts';
import type { BlobError, BlobStatus, Label } from '../../generated/graphql.ts';
import { pinnedTransport, type Transport, type VettedTarget } from './callback-target.ts';

export interface WebhookBody {
  blobId: string;
  status: BlobStatus;
  labels: Label[] | null;
  error: BlobError | null;
}

export function webhookBody(record: BlobRecord): WebhookBody {
  return { blobId: record.id, status: record.status, labels: record.labels ?? null, error: record.error ?? null };
}

/**
 * The `webhook-id`: stable for a blob, so that a receiver can drop a retried or redelivered message it already
 * handled (the result of a blob never changes once final).
 */
export function webhookMessageId(blobId: string): string {
  return `msg_${blobId}`;
}

/** The three Standard Webhooks headers plus the content type. The timestamp is the attempt's. */
export function signedHeaders(secret: string, messageId: string, at: Date, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'image-labels-webhook/1',
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign(messageId, at, body),
  };
}

export type SendOutcome =
  | { kind: 'delivered'; status: number }
  /** Worth another attempt (network error, timeout, 5xx, 429); `retryAfterMs` when the receiver said when. */
  | { kind: 'retryable'; reason: string; retryAfterMs?: number }
  /** Another attempt would be refused the same way (other 4xx, a redirect). */
  | { kind: 'final'; reason: string };

export interface SendOptions {
  timeoutMs: number;
  now: Date;
  transport?: Transport;
}

/** POSTs the signed body once and classifies what happened; never throws. */
export async function sendWebhook(
  target: VettedTarget,
  headers: Record<string, string>,
  body: string,
  options: SendOptions,
): Promise<SendOutcome> {
  const transport = options.transport ?? pinnedTransport;
  try {
    const response = await transport(target, { method: 'POST', headers, body, timeoutMs: options.timeoutMs });
    return classifyResponse(response.status, response.headers['retry-after'], options.now);
  } catch (error) {
    return { kind: 'retryable', reason: describeNetworkError(error, options.timeoutMs) };
  }
}

export function classifyResponse(status: number, retryAfter: string | undefined, now: Date): SendOutcome {
  if (status >= 200 && status < 300) {
    return { kind: 'delivered', status };
  }
  if (status >= 300 && status < 400) {
    return { kind: 'final', reason: `HTTP ${status}: redirects are not followed` };
  }
  if (status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(retryAfter, now);
    return retryAfterMs === undefined
      ? { kind: 'retryable', reason: `HTTP ${status}` }
      : { kind: 'retryable', reason: `HTTP ${status}`, retryAfterMs };
  }
  return { kind: 'final', reason: `HTTP ${status}` };
}

/** Retry-After as delay-seconds or an HTTP date → milliseconds from now (never negative); undefined if absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    return Number(text) * 1000;
  }
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now.getTime());
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') {
    return `no answer within ${timeoutMs} ms`;
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    return `network error ${code}`;
  }
  return `network error: ${error instanceof Error ? error.message : String(error)}`;
}
