// The API commands other than label: status, list, delete, listen. Each writes people's text on stdout, or the
// blobs as JSON with --json, and returns the exit code.
import type { ImageBlob, ImageLabelsClient } from '@image-labels/client';
import { FINAL_STATUSES } from '@image-labels/client';
import { describeBlob, listRow } from './format.ts';

export interface Output {
  write(text: string): void;
  /** Progress and notices (stderr): never mixed into JSON. */
  note(text: string): void;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export async function status(client: ImageLabelsClient, id: string, options: { json: boolean }, out: Output): Promise<number> {
  const blob = await client.getBlob(id);
  if (!blob) {
    out.note(`No blob ${id} (never created, deleted, or not yours)\n`);
    if (options.json) out.write(json(null));
    return 1;
  }
  out.write(options.json ? json(blob) : `${describeBlob(blob)}\n`);
  return 0;
}

export async function list(client: ImageLabelsClient, options: { json: boolean; limit: number; all: boolean }, out: Output): Promise<number> {
  const blobs: ImageBlob[] = [];
  let nextToken: string | null = null;
  do {
    const page = await client.listBlobs({ limit: options.limit, nextToken });
    blobs.push(...page.items);
    nextToken = page.nextToken;
    if (!options.json) for (const blob of page.items) out.write(`${listRow(blob)}\n`);
  } while (options.all && nextToken);
  if (options.json) out.write(json(blobs));
  else if (blobs.length === 0) out.note('No blobs yet.\n');
  else if (nextToken) out.note(`More: image-labels list --all\n`);
  return 0;
}

export async function remove(client: ImageLabelsClient, id: string, options: { json: boolean }, out: Output): Promise<number> {
  const deleted = await client.deleteBlob(id);
  if (options.json) out.write(json(deleted));
  if (!deleted) {
    out.note(`No blob ${id} (never created, already deleted, or not yours)\n`);
    return 1;
  }
  if (!options.json) out.write(`Deleted ${id} (${deleted.status}).\n`);
  return 0;
}

/**
 * Waits for the blob's final state: subscribes (labelsReady), then reads the blob once in case it is final
 * already, and again whenever the socket comes back after a drop. Exit 0 for LABELLED, 1 otherwise.
 */
export async function listen(client: ImageLabelsClient, id: string, options: { json: boolean; signal: AbortSignal }, out: Output): Promise<number> {
  let settle!: (blob: ImageBlob | null) => void;
  const final = new Promise<ImageBlob | null>((resolve) => {
    settle = resolve;
  });
  const consider = (blob: ImageBlob | null) => {
    if (!blob || FINAL_STATUSES.has(blob.status)) settle(blob);
  };
  const read = () => client.getBlob(id).then(consider, (error: unknown) => out.note(`Reading the blob failed: ${String(error)}\n`));
  const subscription = await client.subscribeLabelsReady(id, {
    onData: consider,
    onDropped: (error) => out.note(`Connection lost (${error.code}); reconnecting…\n`),
    onReconnected: () => void read(),
  }, { signal: options.signal });
  try {
    out.note(`Listening for the result of ${id}…\n`);
    await read();
    const aborted = new Promise<never>((_, reject) => {
      if (options.signal.aborted) reject(options.signal.reason);
      options.signal.addEventListener('abort', () => reject(options.signal.reason), { once: true });
    });
    const blob = await Promise.race([final, aborted]);
    if (!blob) {
      out.note(`No blob ${id} (never created, deleted, or not yours)\n`);
      return 1;
    }
    out.write(options.json ? json(blob) : `${describeBlob(blob)}\n`);
    return blob.status === 'LABELLED' ? 0 : 1;
  } finally {
    subscription.close();
  }
}
