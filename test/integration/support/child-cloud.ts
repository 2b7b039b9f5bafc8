// The local cloud as `npm start` runs it: a child process in a process group of its own (so that a test can kill
// it with everything it started, as kill -9 of `npm start`'s group would), its JSON log lines collected, its
// addresses read from its "ready" line.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface ReadyLine {
  graphqlUrl: string;
  realtimeUrl: string;
  apiKey: string;
  webhookSecret: string;
  sqsEndpoint: string;
  uploadQueueUrl: string;
  deadLetterQueueUrl: string;
  dataDir: string;
}

export type LogLine = Record<string, unknown> & { message?: string; component?: string };

export interface ChildCloud {
  ready: ReadyLine;
  /** Every JSON line the child printed so far. */
  logs: LogLine[];
  /** The first line (already printed or still to come) that matches, within the timeout. */
  waitForLog(matches: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** SIGKILL to the whole process group: nothing gets to clean up. */
  kill(): Promise<void>;
  /** SIGTERM, and the clean shutdown that follows. */
  stop(): Promise<void>;
}

export async function startChildCloud(dataDir: string, flags: string[] = []): Promise<ChildCloud> {
  const ports = ['--port', '--https-port', '--s3-port', '--dynamodb-port', '--rekognition-port', '--sqs-port'].flatMap((flag) => [flag, '0']);
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--data-dir', dataDir, ...ports, '--log-format', 'json', ...flags], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const logs: LogLine[] = [];
  const watchers = new Set<() => void>();
  const output: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream! }).on('line', (text) => {
      output.push(text);
      try {
        logs.push(JSON.parse(text) as LogLine);
      } catch {
        return; // Not a log line (a stack trace, a warning).
      }
      watchers.forEach((wake) => wake());
    });
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const waitForLog = (matches: (line: LogLine) => boolean, timeoutMs = 60_000): Promise<LogLine> =>
    new Promise((resolve, reject) => {
      const look = () => {
        const found = logs.find(matches);
        if (found) {
          finish();
          resolve(found);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no matching log line within ${timeoutMs} ms; the child printed:\n${output.slice(-30).join('\n')}`));
      }, timeoutMs);
      const gone = () => {
        finish();
        reject(new Error(`the local cloud exited (${child.exitCode}) first; it printed:\n${output.slice(-30).join('\n')}`));
      };
      function finish() {
        clearTimeout(timer);
        watchers.delete(look);
        child.off('exit', gone);
      }
      watchers.add(look);
      child.once('exit', gone);
      look();
    });

  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // Already gone.
    }
  };

  const ready = (await waitForLog((line) => line.component === 'local' && line.message === 'ready', 90_000)) as unknown as ReadyLine;
  return {
    ready,
    logs,
    waitForLog,
    async kill() {
      signalGroup('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        signalGroup('SIGTERM');
      }
      await exited;
    },
  };
}
