// A local Lambda instance (worker side): loads the handler once, as Lambda's init phase does (its configuration is
// read then, from this thread's own environment), and runs each invocation it is sent with a Lambda context.
import type { Context } from 'aws-lambda';
import { parentPort, workerData } from 'node:worker_threads';
import { invocationError, type FromInstance, type InstanceData, type InvocationContext, type ToInstance } from './protocol.ts';

type Handler = (event: unknown, context: Context) => Promise<unknown>;

const port = parentPort!;
const post = (message: FromInstance) => port.postMessage(message);

function contextOf(invocation: InvocationContext): Context {
  const unsupported = () => {
    throw new Error('callback-style completion is not supported: return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: invocation.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: invocation.invokedFunctionArn,
    memoryLimitInMB: invocation.memoryLimitInMB,
    awsRequestId: invocation.awsRequestId,
    logGroupName: invocation.logGroupName,
    logStreamName: invocation.logStreamName,
    getRemainingTimeInMillis: () => Math.max(0, invocation.deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

async function run(handler: Handler, message: ToInstance): Promise<void> {
  try {
    const result = await handler(JSON.parse(message.event) as unknown, contextOf(message.context));
    post({ type: 'result', id: message.id, ok: true, result: JSON.stringify(result ?? null) });
  } catch (error) {
    post({ type: 'result', id: message.id, ok: false, error: invocationError(error) });
  }
}

let handler: Handler;
try {
  const module = (await import((workerData as InstanceData).handlerUrl)) as { handler?: unknown };
  if (typeof module.handler !== 'function') {
    throw new Error('the handler file does not export a function named handler');
  }
  handler = module.handler as Handler;
} catch (error) {
  post({ type: 'init-failed', error: invocationError(error) });
  throw error;
}
port.on('message', (message: ToInstance) => void run(handler, message));
post({ type: 'ready' });
