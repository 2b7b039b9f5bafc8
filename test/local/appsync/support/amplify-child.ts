// Runs the unmodified aws-amplify v6 client (amplify-subscriber.ts) in a child process and reads what it reports.
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const AMPLIFY_SUBSCRIBER = fileURLToPath(new URL('./amplify-subscriber.ts', import.meta.url));

export interface Report {
  event: string;
  detail: unknown;
}

/** Lines the child reports, awaited one event at a time with a bound. */
export class ChildReports {
  private readonly reports: Report[] = [];
  private readonly waiters: Array<() => void> = [];
  readonly stderr: string[] = [];

  constructor(child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        this.reports.push(JSON.parse(line) as Report);
      } catch {
        this.stderr.push(line);
      }
      for (const wake of this.waiters.splice(0)) wake();
    });
    child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
  }

  async next(event: string, timeoutMs: number): Promise<Report> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.reports.find((r) => r.event === event);
      if (found) return found;
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        throw new Error(`no "${event}" from the Amplify client within ${timeoutMs} ms: ${JSON.stringify(this.reports)} ${this.stderr.join('')}`);
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
}
