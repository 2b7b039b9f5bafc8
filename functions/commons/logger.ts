// Structured JSON logs (Powertools Logger) whose every entry says which file and line wrote it.
// `location` is `<folder>/<file>:<line>` of the code that called logger.info/warn/...: with source maps
// enabled (NODE_OPTIONS=--enable-source-maps, as the stack sets it) it names the TypeScript source, also when bundled.
// Request id: `invocationLogger(context)`; blob id: `logger.appendKeys({ blobId })` on a child per blob.
import { Logger } from '@aws-lambda-powertools/logger';
import type { ConstructorOptions, LogItemExtraInput, LogItemMessage } from '@aws-lambda-powertools/logger/types';
import type { Context } from 'aws-lambda';
import type { LogLevelName } from './config.ts';

export const SERVICE_NAME = 'image-labels';

export class LocatedLogger extends Logger {
  // Called by debug/info/warn/error/critical/trace, which are called by the code being located:
  // [0] this method, [1] Logger.<level>, [2] the caller.
  protected override processLogItem(logLevel: number, input: LogItemMessage, extraInput: LogItemExtraInput): void {
    const location = callerLocation(2);
    const located: LogItemMessage = typeof input === 'string' ? { message: input, location } : { location, ...input };
    super.processLogItem(logLevel, location === undefined ? input : located, extraInput);
  }

  protected override createLogger(options?: ConstructorOptions): LocatedLogger {
    return new LocatedLogger(options);
  }

  public override createChild(options?: ConstructorOptions): LocatedLogger {
    return super.createChild(options) as LocatedLogger;
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
  return new LocatedLogger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ? undefined : SERVICE_NAME, logLevel });
}

export const logger = createLogger();

/**
 * A logger for one invocation, carrying the request id. A child rather than the shared logger, so that invocations
 * running side by side in one process (the local cloud) never mix their keys.
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
