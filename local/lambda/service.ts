// The local Lambda service: each function of functions/manifest.ts runs in a worker thread of its own, started on its
// first invocation (a cold start: the handler module loads and reads its configuration then), with its own
// environment: the settings the manifest declares for it, its own credentials, the endpoints of the local services.
// So a function sees no other function's settings and signs as its own role, as in Lambda. One instance serves a
// function's invocations side by side (Lambda would start one instance per concurrent invocation: here they share the
// instance's clients, hence SDK_MAX_SOCKETS). An instance that crashes is replaced at the next invocation.
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Logger, LogStream } from '../log.ts';
import type { FromInstance, InstanceData, InvocationContext, InvocationError, ToInstance } from './protocol.ts';

const BOOTSTRAP = new URL('./bootstrap.mjs', import.meta.url);
/** How long close() lets running invocations finish before it stops their instances. */
const CLOSE_GRACE_MS = 10_000;

export interface LocalFunction {
  name: string;
  /** Absolute path of functions/<name>.ts. */
  handlerPath: string;
  /** The whole environment of the function's instances. */
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  /** Its ARN, as the context gives it. */
  arn: string;
}

/** A failed invocation, as Lambda reports it: the function's errorType is the error's name. */
export class FunctionError extends Error {
  constructor(
    readonly functionName: string,
    readonly report: InvocationError,
  ) {
    super(report.errorMessage);
    this.name = report.errorType;
  }
}

export interface LocalLambda {
  /** Invokes a function (RequestResponse): its result, or a FunctionError. */
  invoke(name: string, event: unknown): Promise<unknown>;
  /** The environment a function's instances run with. */
  environmentOf(name: string): Record<string, string>;
  /** Lets running invocations finish (for a while), then stops every instance. */
  close(): Promise<void>;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Instance {
  worker: Worker;
  ready: Promise<void>;
  pending: Map<string, Pending>;
  logStreamName: string;
}

export function startLocalLambda(options: { functions: readonly LocalFunction[]; logs: LogStream; logger: Logger }): LocalLambda {
  const { logs, logger } = options;
  const byName = new Map(options.functions.map((fn) => [fn.name, fn]));
  const instances = new Map<string, Instance>();
  let closing = false;

  function start(fn: LocalFunction): Instance {
    const started = Date.now();
    const worker = new Worker(BOOTSTRAP, {
      env: fn.environment,
      workerData: { handlerUrl: pathToFileURL(fn.handlerPath).href } satisfies InstanceData,
      stdout: true,
      stderr: true,
    });
    const component = `lambda:${fn.name}`;
    for (const stream of [worker.stdout, worker.stderr]) {
      createInterface({ input: stream }).on('line', (line) => logs.forward(component, line));
    }
    const pending = new Map<string, Pending>();
    const day = new Date().toISOString().slice(0, 10).replace(/-/g, '/');
    const instance: Instance = { worker, pending, ready: Promise.resolve(), logStreamName: `${day}/[$LATEST]${randomUUID().replace(/-/g, '')}` };
    instance.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromInstance) => {
        if (message.type === 'ready') {
          logger.info('cold start', { function: fn.name, ms: Date.now() - started });
          resolve();
        } else if (message.type === 'init-failed') {
          reject(new FunctionError(fn.name, message.error));
        } else {
          const waiting = pending.get(message.id);
          pending.delete(message.id);
          if (message.ok) waiting?.resolve(JSON.parse(message.result) as unknown);
          else waiting?.reject(new FunctionError(fn.name, message.error));
        }
      });
      worker.once('error', (error) => reject(error));
      worker.once('exit', (code) => {
        if (instances.get(fn.name) === instance) instances.delete(fn.name);
        const gone = new FunctionError(fn.name, {
          errorType: 'Runtime.ExitError',
          errorMessage: `RequestId: the instance of ${fn.name} exited (code ${code}) before the invocation ended`,
          stackTrace: [],
        });
        reject(gone);
        for (const waiting of pending.values()) waiting.reject(gone);
        pending.clear();
        if (!closing) logger.warn('instance exited', { function: fn.name, code });
      });
    });
    // An init failure is reported to the invocation that waits for it; the next one starts a new instance.
    instance.ready.catch(() => {
      if (instances.get(fn.name) === instance) instances.delete(fn.name);
      void worker.terminate();
    });
    return instance;
  }

  async function invoke(name: string, event: unknown): Promise<unknown> {
    const fn = byName.get(name);
    if (!fn) {
      throw new Error(`no function ${name} in functions/manifest.ts`);
    }
    if (closing) {
      throw new Error(`the local cloud is closing: ${name} is not invoked`);
    }
    let instance = instances.get(name);
    if (!instance) {
      instance = start(fn);
      instances.set(name, instance);
    }
    await instance.ready;
    const id = randomUUID();
    const context: InvocationContext = {
      awsRequestId: id,
      functionName: fn.environment.AWS_LAMBDA_FUNCTION_NAME ?? fn.name,
      invokedFunctionArn: fn.arn,
      memoryLimitInMB: String(fn.memoryMb),
      logGroupName: fn.environment.AWS_LAMBDA_LOG_GROUP_NAME ?? `/aws/lambda/${fn.name}`,
      logStreamName: instance.logStreamName,
      deadline: Date.now() + fn.timeoutSeconds * 1000,
    };
    const result = new Promise<unknown>((resolve, reject) => instance.pending.set(id, { resolve, reject }));
    instance.worker.postMessage({ type: 'invoke', id, event: JSON.stringify(event ?? null), context } satisfies ToInstance);
    return result;
  }

  return {
    invoke,
    environmentOf(name) {
      const fn = byName.get(name);
      if (!fn) throw new Error(`no function ${name} in functions/manifest.ts`);
      return { ...fn.environment };
    },
    async close() {
      closing = true;
      const running = [...instances.values()].flatMap((instance) => [...instance.pending.values()].map(
        (waiting) => new Promise<void>((settle) => {
          const { resolve, reject } = waiting;
          waiting.resolve = (value) => { resolve(value); settle(); };
          waiting.reject = (error) => { reject(error); settle(); };
        }),
      ));
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([Promise.all(running), new Promise<void>((resolve) => { timer = setTimeout(resolve, CLOSE_GRACE_MS); })]);
      clearTimeout(timer);
      await Promise.all([...instances.values()].map((instance) => instance.worker.terminate()));
      instances.clear();
    },
  };
}
