// The logger the local AppSync writes to. The local cloud passes its own (one stream, component names);
// alone, the server is silent unless given one.

export type LogFields = Record<string, unknown>;

export interface AppSyncLogger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const ignore = (): void => undefined;

export const silentLogger: AppSyncLogger = { debug: ignore, info: ignore, warn: ignore, error: ignore };
