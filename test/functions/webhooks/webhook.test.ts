import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pinnedTransport, vetCallbackTarget } from '../../../functions/webhooks/callback-target.ts';
import {
  classifyResponse,
  parseRetryAfter,
  sendWebhook,
  signedHeaders,
  webhookBody,
  webhookMessageId,
} from '../../../functions/webhooks/webhook.ts';
import type { BlobRecord } from '../../../domain/blob.ts';
import { type CallbackReceiver, startCallbackReceiver } from '../support/callback-receiver.ts';

const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const NOW = new Date('2026-03-01T12:00:00Z');

const record: BlobRecord = {
  id: '01JABCDEFGHJKMNPQRSTVWXYZ0',
  entity: 'Blob',
  owner: 'owner-sub-1',
  status: 'LABELLED',
  contentType: 'image/png',
  size: 1234,
  minConfidence: 55,
  maxLabels: 20,
  labels: [{ name: 'Cat', confidence: 97, parents: ['Animal'], aliases: [], categories: [], instances: [] }],
  callback: { url: 'https://hooks.example.com/x', status: 'PENDING', attempts: 0, lastAttemptAt: null, lastError: null, deliveredAt: null },
  createdAt: '2026-03-01T11:59:00.000Z',
  updatedAt: '2026-03-01T12:00:00.000Z',
  uploadExpiresAt: '2026-03-01T12:14:00.000Z',
};

describe('the webhook message', () => {
  it('carries blobId, status, labels and error', () => {
    expect(webhookBody(record)).toEqual({ blobId: record.id, status: 'LABELLED', labels: record.labels, error: null });
  });

  it('is signed as Standard Webhooks receivers verify it', () => {
    // Arrange
    const body = JSON.stringify(webhookBody(record));
    const at = new Date();

    // Act
    const headers = signedHeaders(SECRET, webhookMessageId(record.id), at, body);

    // Assert
    expect(headers['webhook-id']).toBe(`msg_${record.id}`);
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(SECRET).verify(body, headers)).toEqual(JSON.parse(body));
  });
});

describe('classifyResponse', () => {
  it.each([
    [200, undefined, { kind: 'delivered', status: 200 }],
    [204, undefined, { kind: 'delivered', status: 204 }],
    [500, undefined, { kind: 'retryable', reason: 'HTTP 500' }],
    [503, '7', { kind: 'retryable', reason: 'HTTP 503', retryAfterMs: 7000 }],
    [429, '2', { kind: 'retryable', reason: 'HTTP 429', retryAfterMs: 2000 }],
    [429, 'Sun, 01 Mar 2026 12:00:30 GMT', { kind: 'retryable', reason: 'HTTP 429', retryAfterMs: 30_000 }],
    [429, 'soon', { kind: 'retryable', reason: 'HTTP 429' }],
    [301, undefined, { kind: 'final', reason: 'HTTP 301: redirects are not followed' }],
    [400, undefined, { kind: 'final', reason: 'HTTP 400' }],
    [410, undefined, { kind: 'final', reason: 'HTTP 410' }],
  ])('reads HTTP %i (Retry-After %j) as %j', (status, retryAfter, outcome) => {
    expect(classifyResponse(status, retryAfter, NOW)).toEqual(outcome);
  });
});

describe('parseRetryAfter', () => {
  it('never answers a negative delay for a date in the past', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', NOW)).toBe(0);
  });
});

describe('sendWebhook over the pinned transport', () => {
  let receiver: CallbackReceiver;

  beforeEach(async () => {
    receiver = await startCallbackReceiver();
  });

  afterEach(async () => {
    await receiver.close();
  });

  const body = JSON.stringify(webhookBody(record));

  it('POSTs the signed body to the receiver', async () => {
    // Arrange
    const target = await vetCallbackTarget(receiver.url, { allowHttpLoopback: true });
    const headers = signedHeaders(SECRET, webhookMessageId(record.id), new Date(), body);

    // Act
    const outcome = await sendWebhook(target, headers, body, { timeoutMs: 2000, now: new Date() });

    // Assert
    expect(outcome).toEqual({ kind: 'delivered', status: 204 });
    const [request] = receiver.received;
    expect(request).toMatchObject({ method: 'POST', path: '/hooks/labels', body });
    expect(request.headers['content-type']).toBe('application/json');
    expect(new Webhook(SECRET).verify(request.body, request.headers as Record<string, string>)).toEqual(JSON.parse(body));
  });

  it('connects to the vetted address, whatever the host name would resolve to now', async () => {
    // Arrange: "rebind.invalid" resolves to 127.0.0.1 at check time only; the system resolver knows no such host.
    const url = `http://rebind.invalid:${receiver.port}/hooks/labels`;
    const target = await vetCallbackTarget(url, {
      allowHttpLoopback: true,
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });

    // Act
    const response = await pinnedTransport(target, { method: 'POST', headers: {}, body: '{}', timeoutMs: 2000 });

    // Assert
    expect(response.status).toBe(204);
    expect(receiver.received[0].headers.host).toBe(`rebind.invalid:${receiver.port}`);
  });

  it('does not follow a redirect', async () => {
    receiver.script({ status: 302, headers: { location: `http://127.0.0.1:${receiver.port}/elsewhere` } });
    const target = await vetCallbackTarget(receiver.url, { allowHttpLoopback: true });

    const outcome = await sendWebhook(target, {}, body, { timeoutMs: 2000, now: new Date() });

    expect(outcome).toEqual({ kind: 'final', reason: 'HTTP 302: redirects are not followed' });
    expect(receiver.received.map((request) => request.path)).toEqual(['/hooks/labels']);
  });

  it('gives up on a receiver that does not answer in time, as a retryable outcome', async () => {
    receiver.script({ hang: true });
    const target = await vetCallbackTarget(receiver.url, { allowHttpLoopback: true });

    const outcome = await sendWebhook(target, {}, body, { timeoutMs: 200, now: new Date() });

    expect(outcome).toEqual({ kind: 'retryable', reason: 'no answer within 200 ms' });
  });

  it('stops reading a receiver that answers with an endless body, closing the connection', async () => {
    // Arrange: a receiver that answers 200, then streams up to 64 MiB unless the sender hangs up first.
    const chunk = Buffer.alloc(16 * 1024, 0x61);
    const cap = 64 * 1024 * 1024;
    let written = 0;
    let hangUp: (early: boolean) => void = () => undefined;
    const hungUp = new Promise<boolean>((resolve) => (hangUp = resolve));
    const flood = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.socket?.once('close', () => hangUp(written < cap));
      const pump = (): void => {
        while (written < cap) {
          written += chunk.length;
          if (!response.write(chunk)) {
            response.once('drain', pump);
            return;
          }
        }
        response.end();
      };
      pump();
    });
    await new Promise<void>((resolve) => flood.listen(0, '127.0.0.1', resolve));
    const { port } = flood.address() as AddressInfo;
    const target = await vetCallbackTarget(`http://127.0.0.1:${port}/hooks/labels`, { allowHttpLoopback: true });

    try {
      // Act
      const outcome = await sendWebhook(target, {}, body, { timeoutMs: 30_000, now: new Date() });

      // Assert: delivered on its status; the sender hung up long before the receiver ran out of body.
      expect(outcome).toEqual({ kind: 'delivered', status: 200 });
      expect(await hungUp).toBe(true);
      expect(written).toBeLessThan(16 * 1024 * 1024);
    } finally {
      flood.closeAllConnections();
      flood.close();
    }
  });

  it('reports a refused connection as retryable', async () => {
    const target = await vetCallbackTarget(receiver.url, { allowHttpLoopback: true });
    await receiver.close();

    const outcome = await sendWebhook(target, {}, body, { timeoutMs: 2000, now: new Date() });

    expect(outcome).toEqual({ kind: 'retryable', reason: 'network error ECONNREFUSED' });
  });
});
