// A logger that keeps every entry, so tests can wait for what the server reports (an operation that stopped).
import type { AppSyncLogger, LogFields } from '../../../../local/appsync/logger.ts';

export interface LogEntry {
  level: string;
  message: string;
  fields: LogFields;
}

export interface RecordingLogger extends AppSyncLogger {
  entries: LogEntry[];
  /** Resolves with the first entry (already logged or to come) whose message is `message`; rejects after `timeoutMs`. */
  waitFor(message: string, timeoutMs?: number): Promise<LogEntry>;
}

export function recordingLogger(): RecordingLogger {
  const entries: LogEntry[] = [];
  const waiters: Array<() => void> = [];
  const record = (level: string) => (message: string, fields: LogFields = {}) => {
    entries.push({ level, message, fields });
    for (const wake of waiters.splice(0)) wake();
  };
  return {
    entries,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
    async waitFor(message, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = entries.find((e) => e.message === message);
        if (found) return found;
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`no log entry "${message}" within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
  };
}
