// Structured JSON logs (Powertools Logger) whose every entry says which file and line wrote it.
// `location` is `<folder>/<file>:<line>` of the code that called log.info/warn/...: with source maps enabled
// (NODE_OPTIONS=--enable-source-maps, as the stack sets it) it names the TypeScript source, also when bundled.
// LocatedLogger wraps a Powertools Logger and uses its public API only (the location travels as an attribute of
// the entry), so a Powertools upgrade cannot break it from inside.
// Request id: `invocationLogger(context)`; blob id: `blobLogger(parent, blobId)`, a child with `blobId` appended.
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogAttributes, LogItemExtraInput } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';
import type { LogLevelName } from './config.ts';

export const SERVICE_NAME = 'image-labels';

type Level = 'debug' | 'info' | 'warn' | 'error' | 'critical';

export class LocatedLogger {
  constructor(private readonly logger: Logger) {}

  debug(message: string, ...extra: LogItemExtraInput): void {
    this.write('debug', message, extra);
  }

  info(message: string, ...extra: LogItemExtraInput): void {
    this.write('info', message, extra);
  }

  warn(message: string, ...extra: LogItemExtraInput): void {
    this.write('warn', message, extra);
  }

  error(message: string, ...extra: LogItemExtraInput): void {
    this.write('error', message, extra);
  }

  critical(message: string, ...extra: LogItemExtraInput): void {
    this.write('critical', message, extra);
  }

  /** Keys on every later entry of this logger (and of the children it makes after). */
  appendKeys(attributes: LogAttributes): void {
    this.logger.appendKeys(attributes);
  }

  addContext(context: Context): void {
    this.logger.addContext(context);
  }

  setLogLevel(level: LogLevelName): void {
    this.logger.setLogLevel(level);
  }

  createChild(): LocatedLogger {
    return new LocatedLogger(this.logger.createChild());
  }

  // [0] write, [1] LocatedLogger.<level>, [2] the caller: the code being located.
  private write(level: Level, message: string, extra: LogItemExtraInput): void {
    const location = callerLocation(2);
    this.logger[level](location === undefined ? message : { message, location }, ...extra);
  }
}

/** `folder/file:line` of the frame `depth` levels above the caller of this function. */
export function callerLocation(depth: number): string | undefined {
  const holder: { stack?: string } = {};
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = depth + 2;
  Error.captureStackTrace(holder, callerLocation);
  Error.stackTraceLimit = previousLimit;
  const frame = holder.stack?.split('\n')[depth + 1];
  return frame === undefined ? undefined : locationOfFrame(frame);
}

/** `    at fn (file:///a/b/functions/x.ts:12:5)` → `functions/x.ts:12`. */
export function locationOfFrame(frame: string): string | undefined {
  const match = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):\d+\)?\s*$/.exec(frame);
  if (!match) {
    return undefined;
  }
  const segments = match[1].replace(/^file:\/\//, '').split(/[\\/]/);
  return `${segments.slice(-2).join('/')}:${match[2]}`;
}

/**
 * The logger of the module; handlers set its level from the validated configuration. The `service` key is
 * Powertools' own POWERTOOLS_SERVICE_NAME when set (the stack names each function), otherwise image-labels.
 */
export function createLogger(logLevel: LogLevelName = 'INFO'): LocatedLogger {
  return new LocatedLogger(new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ? undefined : SERVICE_NAME, logLevel }));
}

export const logger = createLogger();

/**
 * A logger for one invocation, carrying the request id. A child rather than the shared logger, so that invocations
 * running side by side in one process never mix their keys.
 */
export function invocationLogger(context: Pick<Context, 'awsRequestId'> & Partial<Context>): LocatedLogger {
  const child = logger.createChild();
  if (typeof context.functionName === 'string' && typeof context.invokedFunctionArn === 'string') {
    child.addContext(context as Context);
  } else {
    child.appendKeys({ requestId: context.awsRequestId });
  }
  return child;
}

/** A child logger whose entries carry the blob id. */
export function blobLogger(parent: LocatedLogger, blobId: string): LocatedLogger {
  const child = parent.createChild();
  child.appendKeys({ blobId });
  return child;
}
