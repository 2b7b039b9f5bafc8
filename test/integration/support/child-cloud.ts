// The local cloud as `npm start` runs it: a child process in a process group of its own (so that a test can kill
// it with everything it started, as kill -9 of `npm start`'s group would), its JSON log lines collected, its
// addresses read from its "ready" line.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The "ready" log line, and the user pool and region it names, as integration helpers want them (CloudEndpoints). */
export interface ReadyLine {
  graphqlUrl: string;
  realtimeUrl: string;
  region: string;
  userPool: { id: string; clientId: string; endpoint: string; issuer: string };
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
  const ports = ['--port', '--https-port', '--cognito-port', '--s3-port', '--dynamodb-port', '--rekognition-port', '--sqs-port'].flatMap((flag) => [flag, '0']);
  // The client configuration goes with the data, never over a developer's amplify_outputs.json.
  const outputs = ['--amplify-outputs', join(dataDir, 'amplify_outputs.json')];
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--data-dir', dataDir, ...ports, ...outputs, '--log-format', 'json', ...flags], {
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

  const line = (await waitForLog((entry) => entry.component === 'local' && entry.message === 'ready', 90_000)) as unknown as ReadyLine & {
    userPoolId: string;
    userPoolClientId: string;
    userPoolEndpoint: string;
  };
  const ready: ReadyLine = {
    ...line,
    userPool: { id: line.userPoolId, clientId: line.userPoolClientId, endpoint: line.userPoolEndpoint, issuer: `${line.userPoolEndpoint}/${line.userPoolId}` },
  };
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
