import { util } from '@aws-appsync/utils';

/** Fixed-width ISO 8601 in UTC with milliseconds, the format Node's toISOString writes: strings compare as instants. */
const ISO_MILLIS = "yyyy-MM-dd'T'HH:mm:ss.SSS'Z'";

export function isoAt(epochMilliSeconds: number): string {
  return util.time.epochMilliSecondsToFormatted(epochMilliSeconds, ISO_MILLIS);
}

export function nowIso(): string {
  return isoAt(util.time.nowEpochMilliSeconds());
}
