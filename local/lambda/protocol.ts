// Messages between the local Lambda service (main thread) and an instance (worker thread). Events and results cross
// as JSON text, as they cross the wire to and from Lambda.

/** What the instance needs to build the handler's Context. */
export interface InvocationContext {
  awsRequestId: string;
  functionName: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  logGroupName: string;
  logStreamName: string;
  /** Epoch milliseconds at which the function's timeout ends. */
  deadline: number;
}

/** The error of a failed invocation, as Lambda reports it (errorType, errorMessage, stackTrace). */
export interface InvocationError {
  errorType: string;
  errorMessage: string;
  stackTrace: string[];
}

export type ToInstance = { type: 'invoke'; id: string; event: string; context: InvocationContext };

export type FromInstance =
  | { type: 'ready' }
  | { type: 'init-failed'; error: InvocationError }
  | { type: 'result'; id: string; ok: true; result: string }
  | { type: 'result'; id: string; ok: false; error: InvocationError };

export interface InstanceData {
  /** file:// URL of functions/<name>.ts. */
  handlerUrl: string;
}

export function invocationError(error: unknown): InvocationError {
  const value = error instanceof Error ? error : new Error(String(error));
  return {
    errorType: value.name,
    errorMessage: value.message,
    stackTrace: (value.stack ?? '').split('\n').slice(1).map((line) => line.trim()),
  };
}
