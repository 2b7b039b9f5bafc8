import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createLabeller } from '../../../local/rekognition/labeller.ts';
import { LABELLER_NICENESS, threadNiceness } from '../../../local/rekognition/thread-priority.ts';
import { WORKER_MEMORY_BYTES, workerCountFor } from '../../../local/rekognition/worker-count.ts';
import { fixture } from './fixtures.ts';

const GIB = 1024 ** 3;

describe('how many labelling workers a machine gets by default', () => {
  it.each([
    [{ cores: 2, availableMemoryBytes: 22 * GIB }, 2],
    [{ cores: 16, availableMemoryBytes: 64 * GIB }, 16],
    [{ cores: 16, availableMemoryBytes: 2 * GIB }, 3],
    [{ cores: 8, availableMemoryBytes: 256 * 1024 * 1024 }, 1],
    [{ cores: 1, availableMemoryBytes: 8 * GIB }, 1],
  ])('gives %j %i workers: one per core, half the memory at most, never none', (machine, expected) => {
    expect(workerCountFor(machine)).toBe(expected);
  });

  it('never gives the workers more than half the memory available', () => {
    const machine = { cores: 64, availableMemoryBytes: 10 * GIB };

    expect(workerCountFor(machine) * WORKER_MEMORY_BYTES).toBeLessThanOrEqual(machine.availableMemoryBytes / 2);
  });
});

const linux = existsSync('/proc/thread-self');

describe.skipIf(!linux)('the priority of the labelling threads (Linux: per-thread nice values)', () => {
  it('runs the workers below the priority of the thread that serves requests', async () => {
    const threadsBefore = new Set(readdirSync(`/proc/${process.pid}/task`));
    const labeller = createLabeller({ workers: 1 });
    try {
      await labeller.detectLabels({ bytes: fixture('coffee.png') });
      const started = readdirSync(`/proc/${process.pid}/task`).filter((tid) => !threadsBefore.has(tid));
      const niceness = started.map((tid) => threadNiceness(Number(tid)));

      expect(niceness).toContain(LABELLER_NICENESS);
      expect(threadNiceness(process.pid)).toBe(0);
    } finally {
      await labeller.close();
    }
  });
});
