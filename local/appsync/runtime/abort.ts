// The error an aborted operation reports. The server aborts an operation's signal with an AppSyncError as the
// reason (the execution timed out, the client went away); the runtime and the field wrapper report that reason.
import type { AppSyncError } from './types.ts';

export const ABORTED_ERROR: AppSyncError = { message: 'The request was aborted.', errorType: 'RequestAborted' };

function isAppSyncError(value: unknown): value is AppSyncError {
  const candidate = value as Partial<AppSyncError> | null;
  return typeof candidate?.message === 'string' && typeof candidate.errorType === 'string';
}

/** The error an aborted signal stands for: its reason when that is an AppSyncError. */
export function abortError(signal: AbortSignal): AppSyncError {
  return isAppSyncError(signal.reason) ? signal.reason : ABORTED_ERROR;
}
