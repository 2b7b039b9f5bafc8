// Drives amplify-user.ts (an unmodified aws-amplify v6 client, one user) in a child process: commands on its
// stdin, its reports read from stdout and awaited one at a time with a bound.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LocalCloud } from '../../../local/cloud.ts';
import type { Command } from './amplify-user.ts';
import { TEST_PASSWORD } from './users.ts';

const SCRIPT = fileURLToPath(new URL('./amplify-user.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface AmplifyReport {
  event: string;
  tag?: string;
  detail: unknown;
}

export class AmplifyUser {
  readonly email = `amplify-${randomUUID()}@example.com`;
  private readonly reports: AmplifyReport[] = [];
  private readonly waiters: Array<() => void> = [];
  private readonly stderr: string[] = [];
  private readonly child: ChildProcess;

  constructor(cloud: LocalCloud) {
    if (!cloud.amplifyOutputsPath) throw new Error('the cloud wrote no amplify_outputs.json');
    this.child = spawn(process.execPath, ['--import', 'tsx', SCRIPT], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_EXTRA_CA_CERTS: cloud.certificatePath,
        AMPLIFY_OUTPUTS: cloud.amplifyOutputsPath,
        USER_EMAIL: this.email,
        USER_PASSWORD: TEST_PASSWORD,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      try {
        this.reports.push(JSON.parse(line) as AmplifyReport);
      } catch {
        this.stderr.push(line);
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    this.child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
  }

  send(command: Command): void {
    this.child.stdin!.write(`${JSON.stringify(command)}\n`);
  }

  /** Takes the first report of `event` (and `tag`, when given) not taken yet. */
  async next(event: string, tag?: string, timeoutMs = 60_000): Promise<AmplifyReport> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.reports.findIndex((r) => r.event === event && (tag === undefined || r.tag === tag));
      if (index >= 0) return this.reports.splice(index, 1)[0];
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`no "${event}"${tag ? ` (${tag})` : ''} from the Amplify client within ${timeoutMs} ms: ${JSON.stringify(this.reports)} ${this.stderr.join('').slice(-2000)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Reports of `event` seen so far and not taken. */
  seen(event: string, tag?: string): AmplifyReport[] {
    return this.reports.filter((r) => r.event === event && (tag === undefined || r.tag === tag));
  }

  /** Runs one GraphQL operation and answers Amplify's result ({ data, errors }). */
  async graphql(query: string, variables: Record<string, unknown> = {}): Promise<{ data: Record<string, unknown> | null; errors?: Array<{ errorType?: string; message: string }> }> {
    const tag = randomUUID();
    this.send({ op: 'graphql', tag, query, variables });
    return (await this.next('result', tag)).detail as { data: Record<string, unknown> | null; errors?: Array<{ errorType?: string; message: string }> };
  }

  close(): void {
    this.child.kill();
  }
}
