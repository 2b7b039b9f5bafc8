import type { DataSourceOutcome } from './types.ts';

/** NONE: the request's payload becomes ctx.result. */
export function invokeNone(request: unknown): DataSourceOutcome {
  const payload = (request as { payload?: unknown } | null)?.payload;
  return { result: payload === undefined ? null : payload };
}
