// dynalite in a worker thread of its own: decoding, validating and answering DynamoDB requests (and LevelDB's
// bindings) take a core of their own instead of the event loop that serves GraphQL. Clients reach it over HTTP
// exactly as before.
import { Worker } from 'node:worker_threads';

export interface DynaliteOptions {
  path: string;
  createTableMs: number;
  deleteTableMs: number;
  updateTableMs: number;
}

export interface DynaliteThread {
  port: number;
  close(): Promise<void>;
}

type ThreadMessage = { type: 'listening'; port: number } | { type: 'error'; message: string; code?: string } | { type: 'closed' };

/** Starts dynalite in a worker thread listening on host:port (0 = a free port); rejects as `listen` would. */
export function startDynaliteThread(options: DynaliteOptions, port: number, host: string): Promise<DynaliteThread> {
  const worker = new Worker(new URL('./dynalite-thread.mjs', import.meta.url), { workerData: { options, host, port } });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const onExit = (code: number) => reject(new Error(`the DynamoDB thread stopped with exit code ${code} before listening`));
    worker.once('exit', onExit);
    worker.once('error', reject);
    worker.once('message', (message: ThreadMessage) => {
      worker.off('exit', onExit);
      worker.off('error', reject);
      if (message.type !== 'listening') {
        void worker.terminate();
        reject(Object.assign(new Error(message.type === 'error' ? message.message : 'the DynamoDB thread did not listen'), { code: message.type === 'error' ? message.code : undefined }));
        return;
      }
      resolve({
        port: message.port,
        async close() {
          const closed = new Promise<void>((done) => worker.once('message', () => done()));
          worker.postMessage({ type: 'close' });
          await Promise.race([closed, exited]);
          await worker.terminate();
        },
      });
    });
  });
}
