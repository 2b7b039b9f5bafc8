import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PROCESSING_LEASE_SECONDS,
  isLastReceive,
  maxConcurrencyFor,
  retryDelaySeconds,
  retryWindowSeconds,
  UPLOAD_QUEUE,
  visibilityTimeoutSeconds,
} from '../../../functions/queue/upload-queue.ts';

describe('the upload queue settings', () => {
  it('allows as many concurrent invocations as Rekognition has transactions per second, within what SQS accepts', () => {
    expect(maxConcurrencyFor(50)).toBe(50);
    expect(maxConcurrencyFor(5)).toBe(5);
    expect(maxConcurrencyFor(1)).toBe(2);
    expect(maxConcurrencyFor(5000)).toBe(1000);
  });

  it('keeps a received message invisible longer than the processing lease', () => {
    expect(visibilityTimeoutSeconds(DEFAULT_PROCESSING_LEASE_SECONDS)).toBeGreaterThan(DEFAULT_PROCESSING_LEASE_SECONDS);
  });

  it('doubles the hand-back delay with every receive, up to ten minutes, half of it jittered', () => {
    const lowest = [1, 2, 3, 4, 10, 30].map((receive) => retryDelaySeconds(receive, () => 0));
    const highest = [1, 2, 3, 4, 10, 30].map((receive) => retryDelaySeconds(receive, () => 0.999_999));

    expect(lowest).toEqual([3, 5, 10, 20, 300, 300]);
    expect(highest).toEqual([5, 10, 20, 40, 600, 600]);
  });

  it('calls the receive numbered maxReceiveCount the last', () => {
    expect(isLastReceive(UPLOAD_QUEUE.maxReceiveCount - 1)).toBe(false);
    expect(isLastReceive(UPLOAD_QUEUE.maxReceiveCount)).toBe(true);
    expect(isLastReceive(3, 3)).toBe(true);
  });

  it('gives a failing upload between a quarter of an hour and half an hour before it ends FAILED', () => {
    const [shortest, longest] = retryWindowSeconds();

    expect(shortest).toBe(3 + 5 + 10 + 20 + 40 + 80 + 160 + 300 + 300);
    expect(longest).toBe(5 + 10 + 20 + 40 + 80 + 160 + 320 + 600 + 600);
  });
});
