import { describe, expect, it } from 'vitest';
import { formatEpochMillis, parseToEpochMillis } from '../../../../local/appsync/runtime/util/time.ts';

// 2024-03-31T01:30:00Z: Berlin switches to summer time at 01:00 UTC that night, New York did three weeks before.
const INSTANT = Date.UTC(2024, 2, 31, 1, 30);
const PATTERN = "yyyy-MM-dd'T'HH:mm:ssXXX";

describe('time formatting with formatters kept between calls', () => {
  it('formats each zone with its own rules, called alternately', () => {
    const berlin = () => formatEpochMillis(INSTANT, PATTERN, 'Europe/Berlin');
    const newYork = () => formatEpochMillis(INSTANT, PATTERN, 'America/New_York');

    expect([berlin(), newYork(), berlin(), newYork()]).toEqual([
      '2024-03-31T03:30:00+02:00',
      '2024-03-30T21:30:00-04:00',
      '2024-03-31T03:30:00+02:00',
      '2024-03-30T21:30:00-04:00',
    ]);
  });

  it('refuses an unknown zone every time, not only the first', () => {
    expect(() => formatEpochMillis(INSTANT, PATTERN, 'Mars/Olympus')).toThrow('Unknown time-zone ID: Mars/Olympus');
    expect(() => formatEpochMillis(INSTANT, PATTERN, 'Mars/Olympus')).toThrow('Unknown time-zone ID: Mars/Olympus');
  });

  it('reads back what it wrote with the same pattern', () => {
    const text = formatEpochMillis(INSTANT, "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    expect(parseToEpochMillis(text, "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")).toBe(INSTANT);
    expect(formatEpochMillis(INSTANT, "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")).toBe('2024-03-31T01:30:00.000Z');
  });
});
