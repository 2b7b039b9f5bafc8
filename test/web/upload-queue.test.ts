// The page's upload queue without a page: checks on add, at most `concurrency` labellings at once, cancel, retry.
import { describe, expect, it } from 'vitest';
import { canRetry, createUploadQueue } from '../../web/upload-queue.js';

type Blob = NonNullable<ReturnType<ReturnType<typeof createUploadQueue>['items']>[number]['blob']>;

/** A labeller the test answers by hand, one call at a time. */
function manualLabeller() {
  const calls: Array<{ file: File; signal: AbortSignal; resolve(blob: Blob): void; reject(error: unknown): void }> = [];
  return {
    calls,
    label(file: File, options: { signal: AbortSignal }) {
      return new Promise<Blob>((resolve, reject) => {
        calls.push({ file, signal: options.signal, resolve, reject });
        options.signal.addEventListener('abort', () => reject(options.signal.reason));
      });
    },
  };
}

function blob(status: Blob['status']): Blob {
  return {
    id: `blob-${status}`, owner: 'me', status, contentType: 'image/png', size: 1, minConfidence: 55, maxLabels: 20,
    labels: [], error: null, callback: null, createdAt: '', updatedAt: '', uploadExpiresAt: '', labelledAt: null,
  };
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0));
const file = (name: string) => new File([new Uint8Array([1])], name, { type: 'image/png' });

describe('the upload queue', () => {
  it('checks each file as it is added: ready, or refused with the reason', async () => {
    const labeller = manualLabeller();
    const queue = createUploadQueue({
      check: async (candidate) => {
        if (candidate.name.endsWith('.gif')) throw new Error('UnsupportedContentType');
      },
      label: labeller.label,
      onChange: () => undefined,
    });

    queue.add([file('a.png'), file('b.gif')]);
    await settled();

    expect(queue.items().map((item) => [item.file.name, item.state])).toEqual([['a.png', 'ready'], ['b.gif', 'refused']]);
    queue.start({});
    expect(labeller.calls.map((call) => call.file.name)).toEqual(['a.png']);
  });

  it('labels at most `concurrency` files at once, with the settings it was started with', async () => {
    const labeller = manualLabeller();
    const queue = createUploadQueue({ check: async () => undefined, label: labeller.label, concurrency: 2, onChange: () => undefined });
    queue.add(['1.png', '2.png', '3.png'].map(file));
    await settled();

    queue.start({ maxLabels: 3 });

    expect(labeller.calls).toHaveLength(2);
    expect(queue.items()[2].state).toBe('queued');
    labeller.calls[0].resolve(blob('LABELLED'));
    await settled();
    expect(labeller.calls.map((call) => call.file.name)).toEqual(['1.png', '2.png', '3.png']);
    expect(queue.items().map((item) => item.settings)).toEqual([{ maxLabels: 3 }, { maxLabels: 3 }, { maxLabels: 3 }]);
  });

  it('cancels a running file through its signal, and a queued one before it starts', async () => {
    const labeller = manualLabeller();
    const queue = createUploadQueue({ check: async () => undefined, label: labeller.label, concurrency: 1, onChange: () => undefined });
    const [running, waiting] = queue.add(['1.png', '2.png'].map(file));
    await settled();
    queue.start({});

    queue.cancel(waiting.id);
    queue.cancel(running.id);
    await settled();

    expect(labeller.calls[0].signal.aborted).toBe(true);
    expect([running.state, waiting.state]).toEqual(['cancelled', 'cancelled']);
    expect(labeller.calls).toHaveLength(1);
  });

  it('retries a failed file with its settings, and never a REJECTED one', async () => {
    const labeller = manualLabeller();
    const queue = createUploadQueue({ check: async () => undefined, label: labeller.label, onChange: () => undefined });
    const [failing, rejected] = queue.add(['1.png', '2.png'].map(file));
    await settled();
    queue.start({ minConfidence: 70 });
    labeller.calls[0].reject(new Error('NetworkError'));
    labeller.calls[1].resolve(blob('REJECTED'));
    await settled();

    queue.retry(failing.id);
    queue.retry(rejected.id);

    expect([failing.state, rejected.state]).toEqual(['running', 'done']);
    expect(canRetry(rejected)).toBe(false);
    expect(labeller.calls).toHaveLength(3);
    expect(failing.attempts).toBe(2);
    expect(failing.settings).toEqual({ minConfidence: 70 });
  });

  it('stops everything at once when cleared (sign-out), reporting nothing more for those files', async () => {
    const labeller = manualLabeller();
    const changes: string[] = [];
    const queue = createUploadQueue({ check: async () => undefined, label: labeller.label, onChange: (item) => changes.push(item.state) });
    queue.add([file('1.png')]);
    await settled();
    queue.start({});
    changes.length = 0;

    queue.clear();
    await settled();

    expect(labeller.calls[0].signal.aborted).toBe(true);
    expect(queue.items()).toEqual([]);
    expect(changes).toEqual([]);
  });
});
