// A clock whose sleeps return at once and move time forward: backoff is observable, tests never wait for it.
import type { Clock } from '../../../functions/commons/clock.ts';

export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private offsetMs = 0;

  constructor(private readonly startMs: number = Date.now()) {}

  now(): Date {
    return new Date(this.startMs + this.offsetMs);
  }

  sleep(milliseconds: number): Promise<void> {
    this.sleeps.push(milliseconds);
    this.offsetMs += milliseconds;
    return Promise.resolve();
  }

  advance(milliseconds: number): void {
    this.offsetMs += milliseconds;
  }
}
