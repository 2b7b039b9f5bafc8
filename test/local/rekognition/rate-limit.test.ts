import { describe, expect, it } from 'vitest';
import { tokenBucket } from '../../../local/rekognition/rate-limit.ts';

describe('the local Rekognition quota', () => {
  it('lets N calls through in one second and refuses the next one', () => {
    const limiter = tokenBucket(5, () => 1000);

    const answers = Array.from({ length: 6 }, () => limiter.tryAcquire());

    expect(answers).toEqual([true, true, true, true, true, false]);
    expect(limiter.refused).toBe(1);
  });

  it('gives a call back every 1/N second, never more than one second’s worth', () => {
    let now = 0;
    const limiter = tokenBucket(5, () => now);
    Array.from({ length: 5 }, () => limiter.tryAcquire());

    now = 199;
    const tooEarly = limiter.tryAcquire();
    now = 200;
    const onTime = limiter.tryAcquire();
    now = 60_000;
    const afterIdle = Array.from({ length: 6 }, () => limiter.tryAcquire());

    expect([tooEarly, onTime]).toEqual([false, true]);
    expect(afterIdle).toEqual([true, true, true, true, true, false]);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => tokenBucket(0)).toThrow(/positive/);
  });
});
