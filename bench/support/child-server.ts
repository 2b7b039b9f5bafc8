// A server under measurement in a process of its own, so that the load generator (in the benchmark's process)
// never shares an event loop with it. The child sends `{ type: 'ready', info }` over IPC once it listens, and
// answers `{ type: 'memory' }` with its memory after a full garbage collection (it runs with --expose-gc).
import { fork, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface MemorySample {
  rssBytes: number;
  heapUsedBytes: number;
  externalBytes: number;
}

export type ChildMessage =
  | { type: 'ready'; info: unknown }
  | { type: 'memory'; memory: MemorySample }
  | { type: 'profiled'; file: string }
  | { type: 'event'; event: unknown }
  | { type: 'failed'; message: string };

export interface ChildServer<Info> {
  info: Info;
  pid: number;
  /** Memory of the child after a full GC. */
  memory(): Promise<MemorySample>;
  /** Calls `listener` with every event the child reports (sendEvent); returns the undo. */
  onEvent(listener: (event: unknown) => void): () => void;
  /** Starts a CPU profile of the child's main thread; the returned stop writes it to `file`. */
  profile(file: string): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

export interface SpawnOptions {
  args?: string[];
  /** Extra node flags, e.g. ['--cpu-prof', '--cpu-prof-dir=...']. */
  nodeFlags?: string[];
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}

function nextMessage<T extends ChildMessage['type']>(child: ChildProcess, type: T, timeoutMs: number): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no '${type}' message from the child within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: ChildMessage): void => {
      if (message.type === type) finish(null, message as Extract<ChildMessage, { type: T }>);
      else if (message.type === 'failed') finish(new Error(`the child failed: ${message.message}`));
    };
    const onExit = (code: number | null): void => finish(new Error(`the child exited with ${code} before '${type}'`));
    const finish = (error: Error | null, message?: Extract<ChildMessage, { type: T }>): void => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export async function spawnServer<Info>(script: string, options: SpawnOptions = {}): Promise<ChildServer<Info>> {
  const child = fork(script, options.args ?? [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx', '--expose-gc', ...(options.nodeFlags ?? [])],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...options.env },
    // stdout is a pipe, as when `npm start` is piped to a file or a pager; what comes through it is dropped.
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  child.stdout?.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const ready = await nextMessage(child, 'ready', options.readyTimeoutMs ?? 120_000);
    return {
      info: ready.info as Info,
      pid: child.pid!,
      async memory() {
        const answer = nextMessage(child, 'memory', 30_000);
        child.send({ type: 'memory' });
        return (await answer).memory;
      },
      onEvent(listener) {
        const onMessage = (message: ChildMessage): void => {
          if (message.type === 'event') listener(message.event);
        };
        child.on('message', onMessage);
        return () => child.off('message', onMessage);
      },
      async profile(file) {
        const started = nextMessage(child, 'profiled', 30_000);
        child.send({ type: 'profile-start' });
        await started;
        return async () => {
          const stopped = nextMessage(child, 'profiled', 30_000);
          child.send({ type: 'profile-stop', file });
          await stopped;
        };
      },
      async close() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
}

/** For the child: answers memory requests, and exits cleanly on SIGTERM after `close`. */
export function serveParent(info: unknown, close: () => Promise<void>): void {
  const send = (message: ChildMessage): void => {
    process.send?.(message);
  };
  let session: Session | undefined;
  process.on('message', (message: { type?: string; file?: string }) => {
    if (message.type === 'profile-start') {
      session = new Session();
      session.connect();
      void (async () => {
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 250 });
        await session.post('Profiler.start');
        send({ type: 'profiled', file: '' });
      })();
      return;
    }
    if (message.type === 'profile-stop' && session && message.file) {
      const active = session;
      const file = message.file;
      void (async () => {
        const { profile } = await active.post('Profiler.stop');
        active.disconnect();
        await writeFile(file, JSON.stringify(profile));
        send({ type: 'profiled', file });
      })();
      return;
    }
    if (message.type !== 'memory') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const usage = process.memoryUsage();
    send({ type: 'memory', memory: { rssBytes: usage.rss, heapUsedBytes: usage.heapUsed, externalBytes: usage.external } });
  });
  process.once('SIGTERM', () => {
    void close().finally(() => process.exit(0));
  });
  process.once('disconnect', () => {
    void close().finally(() => process.exit(0));
  });
  send({ type: 'ready', info });
}

/** For the child: reports an event to the parent (ChildServer.onEvent). */
export function sendEvent(event: unknown): void {
  process.send?.({ type: 'event', event } satisfies ChildMessage);
}

/** For the child: reports a start-up failure to the parent and exits. */
export function failToParent(error: unknown): never {
  process.send?.({ type: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) } satisfies ChildMessage);
  process.exit(1);
}
