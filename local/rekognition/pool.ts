import { Worker } from 'node:worker_threads';
import { RekognitionError, type RekognitionErrorName } from './errors.ts';
import type { JobRequest, WorkerMessage } from './protocol.ts';
import type { DetectLabelsResponse } from './types.ts';

export interface PoolOptions {
  size: number;
  /** Jobs allowed to wait for a worker; one more is refused with a throttling error. */
  queueLimit: number;
  script: () => Promise<URL>;
}

type Job = Omit<JobRequest, 'id'>;
interface Pending { request: JobRequest; resolve: (r: DetectLabelsResponse) => void; reject: (e: Error) => void }
interface Slot { worker: Worker; ready: boolean; current?: Pending }

// A worker that keeps dying is a broken installation, not bad luck: stop respawning then.
const MAX_RESPAWNS = 5;

/**
 * A fixed set of worker threads, each holding a warm model, fed from one bounded FIFO queue.
 * A job goes to a worker only when that worker is idle, so a slow image never holds up
 * another worker's queue.
 */
export class WorkerPool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Pending[] = [];
  private readonly settled = new Set<Promise<unknown>>();
  private readonly started: Promise<void>;
  private nextId = 1;
  private respawns = 0;
  private failure: RekognitionError | undefined;
  private closing = false;
  /** Milliseconds each worker took to load its model, in start order. */
  readonly loadTimesMs: number[] = [];

  constructor(private readonly options: PoolOptions) {
    this.started = this.start();
  }

  run(job: Job): Promise<DetectLabelsResponse> {
    if (this.closing) return Promise.reject(new RekognitionError('InternalServerError', 'The labeller is closed'));
    if (this.failure) return Promise.reject(this.failure);
    if (!this.idleSlot() && this.queue.length >= this.options.queueLimit) {
      return Promise.reject(new RekognitionError('ProvisionedThroughputExceededException',
        `The labeller is busy: ${this.queue.length} images are already waiting. Retry later.`));
    }
    const promise = new Promise<DetectLabelsResponse>((resolve, reject) => {
      this.queue.push({ request: { ...job, id: this.nextId++ }, resolve, reject });
    });
    const tracked = promise.catch(() => undefined).finally(() => this.settled.delete(tracked));
    this.settled.add(tracked);
    this.dispatch();
    return promise;
  }

  /** Lets queued and running jobs finish, then stops the workers. */
  async close(): Promise<void> {
    this.closing = true;
    await this.started;
    while (this.settled.size > 0) await Promise.all([...this.settled]);
    await Promise.all([...this.slots].map((slot) => slot.worker.terminate()));
    this.slots.clear();
  }

  private async start(): Promise<void> {
    try {
      const script = await this.options.script();
      for (let i = 0; i < this.options.size; i++) this.spawn(script);
    } catch (error) {
      this.fail(`Could not prepare the labelling worker: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private spawn(script: URL): void {
    const slot: Slot = { worker: new Worker(script), ready: false };
    this.slots.add(slot);
    slot.worker.on('message', (message: WorkerMessage) => this.onMessage(slot, message));
    slot.worker.on('error', (error) => console.error('labeller worker crashed:', error));
    slot.worker.on('exit', () => {
      this.slots.delete(slot);
      slot.current?.reject(new RekognitionError('InternalServerError', 'The labelling worker stopped unexpectedly'));
      slot.current = undefined;
      if (this.closing || this.failure) return;
      if (++this.respawns > MAX_RESPAWNS) this.fail('The labelling workers keep stopping');
      else this.spawn(script);
    });
  }

  private onMessage(slot: Slot, message: WorkerMessage): void {
    switch (message.type) {
      case 'ready':
        slot.ready = true;
        this.loadTimesMs.push(message.loadMs);
        break;
      case 'fatal':
        this.fail(`The labelling model could not be loaded: ${message.message}`);
        return;
      case 'result':
        slot.current?.resolve(message.response);
        slot.current = undefined;
        break;
      case 'error':
        slot.current?.reject(new RekognitionError(message.name satisfies RekognitionErrorName, message.message));
        slot.current = undefined;
        break;
    }
    this.dispatch();
  }

  private idleSlot(): Slot | undefined {
    return [...this.slots].find((slot) => slot.ready && !slot.current);
  }

  private dispatch(): void {
    for (let slot = this.idleSlot(); slot && this.queue.length > 0; slot = this.idleSlot()) {
      const pending = this.queue.shift() as Pending;
      slot.current = pending;
      slot.worker.postMessage(pending.request);
    }
  }

  private fail(message: string): void {
    this.failure = new RekognitionError('InternalServerError', message);
    for (const pending of this.queue.splice(0)) pending.reject(this.failure);
    for (const slot of this.slots) {
      slot.current?.reject(this.failure);
      slot.current = undefined;
      void slot.worker.terminate();
    }
  }
}
