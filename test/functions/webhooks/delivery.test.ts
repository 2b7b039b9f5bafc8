import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobRecord } from '../../../domain/blob.ts';
import {
  BACKOFF_BASE_MS,
  backoffDelay,
  deliverCallback,
  type DeliveryDependencies,
  redeliverCallback,
} from '../../../functions/webhooks/delivery.ts';
import { DomainError } from '../../../functions/commons/errors.ts';
import { createLogger } from '../../../functions/commons/logger.ts';
import { type CallbackReceiver, startCallbackReceiver } from '../support/callback-receiver.ts';
import { FakeClock } from '../support/fake-clock.ts';
import { MemoryCallbackStore } from '../support/memory-callback-store.ts';

const SECRET = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
const silent = createLogger('SILENT');

function finalBlob(url: string, overrides: Partial<BlobRecord> = {}): BlobRecord {
  return {
    id: '01JCALLBACKTEST00000000000',
    entity: 'Blob',
    owner: 'owner-sub-1',
    status: 'LABELLED',
    contentType: 'image/jpeg',
    size: 2048,
    minConfidence: 55,
    maxLabels: 20,
    labels: [{ name: 'Rocket', confidence: 91.5, parents: ['Aircraft'], aliases: [], categories: ['Travel'], instances: [] }],
    callback: { url, status: 'PENDING', attempts: 0, lastAttemptAt: null, lastError: null, deliveredAt: null },
    createdAt: '2026-03-01T11:59:00.000Z',
    updatedAt: '2026-03-01T12:00:00.000Z',
    uploadExpiresAt: '2026-03-01T12:14:00.000Z',
    labelledAt: '2026-03-01T12:00:00.000Z',
    ...overrides,
  };
}

describe('deliverCallback', () => {
  let receiver: CallbackReceiver;
  let clock: FakeClock;
  let store: MemoryCallbackStore;

  beforeEach(async () => {
    receiver = await startCallbackReceiver();
    clock = new FakeClock();
  });

  afterEach(async () => {
    await receiver.close();
  });

  function dependencies(overrides: Partial<DeliveryDependencies> = {}): DeliveryDependencies {
    return {
      store,
      secret: async () => SECRET,
      policy: { allowHttpLoopback: true },
      clock,
      log: silent,
      maxAttempts: 5,
      timeoutMs: 1000,
      budgetMs: 60_000,
      random: () => 0.5,
      ...overrides,
    };
  }

  it('delivers a signed result on the first attempt when the receiver answers 200', async () => {
    // Arrange
    receiver.script({ status: 200 });
    store = new MemoryCallbackStore(finalBlob(receiver.url));

    // Act
    const result = await deliverCallback(store.record!, dependencies());

    // Assert
    expect(result.callback).toMatchObject({ status: 'DELIVERED', attempts: 1, lastError: null });
    expect(result.callback?.deliveredAt).toBe(result.callback?.lastAttemptAt);
    const [request] = receiver.received;
    const verified = new Webhook(SECRET).verify(request.body, request.headers as Record<string, string>);
    expect(verified).toEqual({ blobId: result.id, status: 'LABELLED', labels: result.labels, error: null });
    expect(clock.sleeps).toEqual([]);
  });

  it('retries after a 500 and delivers on the next attempt, with the same webhook id', async () => {
    receiver.script({ status: 500 }, { status: 200 });
    store = new MemoryCallbackStore(finalBlob(receiver.url));

    const result = await deliverCallback(store.record!, dependencies());

    expect(result.callback).toMatchObject({ status: 'DELIVERED', attempts: 2 });
    expect(store.attempts.map((attempt) => [attempt.status, attempt.error])).toEqual([
      ['PENDING', 'HTTP 500'],
      ['DELIVERED', undefined],
    ]);
    expect(clock.sleeps).toEqual([backoffDelay(1, () => 0.5)]);
    const ids = receiver.received.map((request) => request.headers['webhook-id']);
    expect(ids).toEqual([`msg_${result.id}`, `msg_${result.id}`]);
  });

  it('signs each attempt at its own time, never sending a retry with the stale timestamp of an earlier attempt', async () => {
    // Standard Webhooks receivers refuse a webhook-timestamp more than 5 minutes from their clock (a replay).
    receiver.script({ status: 503 }, { status: 503 }, { status: 503 }, { status: 200 });
    store = new MemoryCallbackStore(finalBlob(receiver.url));
    const startMs = clock.now().getTime();

    await deliverCallback(store.record!, dependencies({ budgetMs: 60 * 60_000 }));

    const sentAt = clock.sleeps.reduce<number[]>((times, sleep) => [...times, times.at(-1)! + sleep], [startMs]);
    const stamps = receiver.received.map((request) => Number(request.headers['webhook-timestamp']));
    expect(stamps).toEqual(sentAt.map((ms) => Math.floor(ms / 1000)));
  });

  it('stops at once when the receiver answers 410 Gone', async () => {
    receiver.script({ status: 410 });
    store = new MemoryCallbackStore(finalBlob(receiver.url));

    const result = await deliverCallback(store.record!, dependencies());

    expect(result.callback).toMatchObject({ status: 'FAILED', attempts: 1, lastError: 'HTTP 410' });
    expect(receiver.received).toHaveLength(1);
  });

  it('waits as long as a 429 Retry-After asks before trying again', async () => {
    receiver.script({ status: 429, headers: { 'retry-after': '4' } }, { status: 202 });
    store = new MemoryCallbackStore(finalBlob(receiver.url));

    const result = await deliverCallback(store.record!, dependencies());

    expect(result.callback).toMatchObject({ status: 'DELIVERED', attempts: 2 });
    expect(clock.sleeps).toEqual([4000]);
  });

  it('gives up when Retry-After asks for more than it may wait', async () => {
    receiver.script({ status: 429, headers: { 'retry-after': '3600' } });
    store = new MemoryCallbackStore(finalBlob(receiver.url));

    const result = await deliverCallback(store.record!, dependencies());

    expect(result.callback).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(result.callback?.lastError).toMatch(/HTTP 429; Retry-After of 3600 s is too far away/);
  });

  it('retries a receiver that does not answer in time, then records the timeout', async () => {
    receiver.script({ hang: true });
    store = new MemoryCallbackStore(finalBlob(receiver.url));

    const result = await deliverCallback(store.record!, dependencies({ maxAttempts: 2, timeoutMs: 150 }));

    expect(result.callback).toMatchObject({ status: 'FAILED', attempts: 2 });
    expect(result.callback?.lastError).toBe('no answer within 150 ms; gave up after 2 attempts');
    expect(receiver.received).toHaveLength(2);
  });

  it('does not follow a redirect', async () => {
    receiver.script({ status: 307, headers: { location: 'http://169.254.169.254/latest/meta-data/' } });
    store = new MemoryCallbackStore(finalBlob(receiver.url));

    const result = await deliverCallback(store.record!, dependencies());

    expect(result.callback).toMatchObject({ status: 'FAILED', attempts: 1, lastError: 'HTTP 307: redirects are not followed' });
    expect(receiver.received).toHaveLength(1);
  });

  it('backs off exponentially until CALLBACK_MAX_ATTEMPTS, then fails', async () => {
    receiver.script({ status: 503 });
    store = new MemoryCallbackStore(finalBlob(receiver.url));

    const result = await deliverCallback(store.record!, dependencies({ maxAttempts: 4, random: () => 0 }));

    expect(result.callback).toMatchObject({ status: 'FAILED', attempts: 4, lastError: 'HTTP 503; gave up after 4 attempts' });
    expect(clock.sleeps).toEqual([BACKOFF_BASE_MS / 2, BACKOFF_BASE_MS, BACKOFF_BASE_MS * 2]);
  });

  it('stops when another attempt would not fit in the time budget', async () => {
    receiver.script({ status: 502 });
    store = new MemoryCallbackStore(finalBlob(receiver.url));

    const result = await deliverCallback(store.record!, dependencies({ budgetMs: 2500, timeoutMs: 1000 }));

    expect(result.callback?.status).toBe('FAILED');
    expect(result.callback?.lastError).toBe('HTTP 502; out of time for another attempt');
    expect(clock.sleeps.reduce((total, sleep) => total + sleep, 0) + 1000).toBeLessThanOrEqual(2500);
  });

  it('refuses a callback URL that points into a private network without sending anything', async () => {
    store = new MemoryCallbackStore(finalBlob('http://10.0.0.1/hook'));

    const result = await deliverCallback(store.record!, dependencies());

    expect(result.callback).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(result.callback?.lastError).toMatch(/Callback refused: the callback host resolves to a private address/);
    expect(receiver.received).toHaveLength(0);
  });

  it('refuses http and loopback targets in the cloud configuration', async () => {
    store = new MemoryCallbackStore(finalBlob(receiver.url));

    const result = await deliverCallback(store.record!, dependencies({ policy: { allowHttpLoopback: false } }));

    expect(result.callback).toMatchObject({ status: 'FAILED', lastError: 'Callback refused: callback URLs must use https, not http' });
    expect(receiver.received).toHaveLength(0);
  });

  it('adds jitter to the backoff, within [half, full] of the exponential delay', () => {
    expect(backoffDelay(3, () => 0)).toBe(1000);
    expect(backoffDelay(3, () => 0.999_999)).toBe(2000);
    expect(backoffDelay(20, () => 1)).toBe(16_000);
  });
});

describe('redeliverCallback', () => {
  const deliver = async (record: BlobRecord) => record;

  it.each([
    ['NotFound', null],
    ['NoCallback', finalBlob('https://x.example.com', { callback: undefined })],
    ['NotReady', finalBlob('https://x.example.com', { status: 'PROCESSING' })],
    ['NotReady', finalBlob('https://x.example.com', { status: 'PENDING_UPLOAD' })],
  ])('refuses with %s', async (errorType, record) => {
    const store = new MemoryCallbackStore(record);

    const error = await redeliverCallback('01JCALLBACKTEST00000000000', store, deliver).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ name: errorType, errorType, code: errorType });
  });

  it('delivers a final blob with a callback', async () => {
    const store = new MemoryCallbackStore(finalBlob('https://x.example.com', { status: 'REJECTED' }));

    await expect(redeliverCallback('01JCALLBACKTEST00000000000', store, deliver)).resolves.toMatchObject({ status: 'REJECTED' });
  });
});
