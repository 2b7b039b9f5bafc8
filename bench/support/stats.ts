// Small statistics and machine facts shared by the benchmarks.
import { loadavg } from 'node:os';

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The 1-minute load average, as `uptime` shows it. */
export function loadAverage(): number {
  return round(loadavg()[0], 2);
}

/** Runs `fn` and resolves with its result and the load average before and after. */
export async function withLoad<T>(fn: () => Promise<T>): Promise<{ value: T; loadBefore: number; loadAfter: number }> {
  const loadBefore = loadAverage();
  const value = await fn();
  return { value, loadBefore, loadAfter: loadAverage() };
}
