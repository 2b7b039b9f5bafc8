// dynalite in a worker thread of its own: decoding, validating and answering DynamoDB requests (and LevelDB's
// bindings) take a core of their own instead of the event loop that serves GraphQL. Requests come over a MessagePort
// (from the SigV4/IAM front, and from the local cloud's own services) and run through dynalite's own request handler;
// the local cloud gives it no port, so nothing skips the front. Tests of the resolvers give it one, for a plain SDK client.
import { MessageChannel, Worker } from 'node:worker_threads';

export interface DynaliteOptions {
  /** LevelDB directory; in memory when absent. */
  path?: string;
  createTableMs: number;
  deleteTableMs: number;
  updateTableMs: number;
}

/** dynalite's answer as its HTTP server would send it: status, request id, JSON body. */
export interface DynaliteAnswer {
  status: number;
  requestId: string;
  /** The x-amz-crc32 header dynalite sets (its body's CRC32), empty when it set none. */
  crc32: string;
  body: string;
}

export interface DynaliteThread {
  /** Its loopback HTTP port; null when it was started without one (MessagePort only). */
  port: number | null;
  /** Runs one request (`target`: the X-Amz-Target, `DynamoDB_20120810.GetItem`; `body`: its JSON) without HTTP. */
  request(target: string, body: string): Promise<DynaliteAnswer>;
  close(): Promise<void>;
}

type ThreadMessage = { type: 'listening'; port: number | null } | { type: 'error'; message: string; code?: string } | { type: 'closed' };

/**
 * Starts dynalite in a worker thread listening on host:port (0 = a free port; null = no port at all, requests over
 * the MessagePort only); rejects as `listen` would.
 */
export function startDynaliteThread(options: DynaliteOptions, port: number | null, host: string): Promise<DynaliteThread> {
  const channel = new MessageChannel();
  const worker = new Worker(new URL('./dynalite-thread.mjs', import.meta.url), {
    workerData: { options, host, port, requests: channel.port2 },
    transferList: [channel.port2],
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const pending = new Map<number, { resolve(answer: DynaliteAnswer): void; reject(error: Error): void }>();
  let nextId = 0;
  channel.port1.on('message', (answers: Array<DynaliteAnswer & { id: number }>) => {
    for (const answer of answers) {
      const waiting = pending.get(answer.id);
      pending.delete(answer.id);
      waiting?.resolve({ status: answer.status, requestId: answer.requestId, crc32: answer.crc32, body: answer.body });
    }
  });
  // Only the pending requests keep the port referenced: an idle channel must not hold the process open.
  channel.port1.unref();
  worker.once('exit', (code) => {
    for (const waiting of pending.values()) waiting.reject(new Error(`the DynamoDB thread stopped (exit code ${code})`));
    pending.clear();
    channel.port1.close();
  });

  // Requests made in the same turn of the event loop cross in one message: each message costs a wake-up of the
  // other thread, which under load costs more than the requests themselves.
  let outbox: Array<{ id: number; target: string; body: string }> = [];
  const flush = () => {
    const batch = outbox;
    outbox = [];
    channel.port1.postMessage(batch);
  };

  function request(target: string, body: string): Promise<DynaliteAnswer> {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      if (pending.size === 0) channel.port1.ref();
      pending.set(id, {
        resolve(answer) {
          if (pending.size === 0) channel.port1.unref();
          resolve(answer);
        },
        reject,
      });
      if (outbox.length === 0) setImmediate(flush);
      outbox.push({ id, target, body });
    });
  }

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
        request,
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
