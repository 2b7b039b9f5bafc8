// A standard SQS queue on disk: every message is a JSON file under the queue's directory, rewritten (write, then
// rename) whenever its state changes, so that a killed process loses nothing: at the next start, messages that were
// in flight stay invisible until their visibility timeout ends, as they would in SQS.
//
// Semantics kept from SQS: at-least-once delivery; a receive makes a message invisible for the visibility timeout
// and gives it a new receipt handle (only the latest one may change its visibility or delete it; deleting with an
// older one succeeds and does nothing); ApproximateReceiveCount counts receives; a message received maxReceiveCount
// times is moved to the dead-letter queue instead of being received again (redrive policy).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface RedrivePolicy {
  deadLetterQueue: LocalQueue;
  maxReceiveCount: number;
}

export interface LocalQueueOptions {
  name: string;
  /** Where the messages live; created if missing. */
  directory: string;
  region: string;
  accountId: string;
  visibilityTimeoutSeconds: number;
  redrive?: RedrivePolicy;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

interface StoredMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  senderId: string;
  sentAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** Received when `visibleAt` ≤ now. */
  visibleAt: number;
  /** The handle of the latest receive; only it may change the message. */
  receiptHandle?: string;
}

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
  md5OfBody: string;
  attributes: {
    ApproximateReceiveCount: string;
    SentTimestamp: string;
    SenderId: string;
    ApproximateFirstReceiveTimestamp: string;
  };
}

/** An SQS error, named as the service names it. */
export class QueueError extends Error {
  constructor(
    readonly code: 'ReceiptHandleIsInvalid' | 'MessageNotInflight' | 'InvalidParameterValue',
    message: string,
  ) {
    super(message);
    this.name = code;
  }
}

/** The longest visibility timeout SQS accepts (12 hours). */
export const MAX_VISIBILITY_SECONDS = 43_200;

export class LocalQueue {
  readonly name: string;
  readonly arn: string;
  readonly visibilityTimeoutSeconds: number;
  readonly redrive: RedrivePolicy | undefined;
  private readonly messages = new Map<string, StoredMessage>();
  private readonly writes = new Map<string, Promise<void>>();
  private readonly changes = new EventEmitter();
  private readonly now: () => number;

  private constructor(private readonly options: LocalQueueOptions) {
    this.name = options.name;
    this.arn = `arn:aws:sqs:${options.region}:${options.accountId}:${options.name}`;
    this.visibilityTimeoutSeconds = options.visibilityTimeoutSeconds;
    this.redrive = options.redrive;
    this.now = options.now ?? Date.now;
    this.changes.setMaxListeners(0);
  }

  /** Opens the queue, with the messages a previous run left in its directory. */
  static async open(options: LocalQueueOptions): Promise<LocalQueue> {
    const queue = new LocalQueue(options);
    await mkdir(options.directory, { recursive: true });
    for (const file of await readdir(options.directory)) {
      if (!file.endsWith('.json')) {
        continue; // A write interrupted before its rename: the previous version of the message is still there.
      }
      const message = JSON.parse(await readFile(join(options.directory, file), 'utf8')) as StoredMessage;
      queue.messages.set(message.messageId, message);
    }
    return queue;
  }

  async send(body: string, options: { senderId?: string; messageId?: string; delaySeconds?: number } = {}): Promise<{ messageId: string; md5OfBody: string }> {
    const now = this.now();
    const message: StoredMessage = {
      messageId: options.messageId ?? randomUUID(),
      body,
      md5OfBody: createHash('md5').update(body, 'utf8').digest('hex'),
      senderId: options.senderId ?? 'AIDALOCALSENDER',
      sentAt: now,
      receiveCount: 0,
      visibleAt: now + (options.delaySeconds ?? 0) * 1000,
    };
    this.messages.set(message.messageId, message);
    await this.persist(message.messageId);
    this.changed();
    return { messageId: message.messageId, md5OfBody: message.md5OfBody };
  }

  /**
   * Up to `maxMessages` visible messages, oldest first, each made invisible for the visibility timeout. Messages
   * already received maxReceiveCount times move to the dead-letter queue instead.
   */
  async receive(maxMessages: number, visibilityTimeoutSeconds = this.visibilityTimeoutSeconds): Promise<ReceivedMessage[]> {
    const now = this.now();
    const visible = [...this.messages.values()]
      .filter((message) => message.visibleAt <= now)
      .sort((a, b) => a.visibleAt - b.visibleAt || a.sentAt - b.sentAt);
    // Every message is taken before the first await, so that receives running side by side never share one.
    const received: ReceivedMessage[] = [];
    const deadLetters: StoredMessage[] = [];
    for (const message of visible) {
      if (received.length >= maxMessages) {
        break;
      }
      if (this.redrive && message.receiveCount >= this.redrive.maxReceiveCount) {
        this.messages.delete(message.messageId);
        deadLetters.push(message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibilityTimeoutSeconds * 1000;
      message.receiptHandle = receiptHandleFor(message);
      received.push(toReceived(message));
    }
    await Promise.all([
      ...deadLetters.map((message) => this.moveToDeadLetterQueue(message)),
      ...received.map((message) => this.persist(message.messageId)),
    ]);
    return received;
  }

  /** Deletes the message the handle was given for; an outdated handle of a known format does nothing, as in SQS. */
  async delete(receiptHandle: string): Promise<void> {
    const message = this.messages.get(messageIdOf(receiptHandle));
    if (message === undefined || message.receiptHandle !== receiptHandle) {
      return;
    }
    this.messages.delete(message.messageId);
    await this.remove(message.messageId);
    this.changed();
  }

  /** Makes a message in flight visible again in `seconds` (from now). */
  async changeVisibility(receiptHandle: string, seconds: number): Promise<void> {
    if (!Number.isInteger(seconds) || seconds < 0 || seconds > MAX_VISIBILITY_SECONDS) {
      throw new QueueError('InvalidParameterValue', `Value ${seconds} for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200.`);
    }
    const message = this.messages.get(messageIdOf(receiptHandle));
    const now = this.now();
    if (message === undefined || message.receiptHandle !== receiptHandle) {
      throw new QueueError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`);
    }
    if (message.visibleAt <= now) {
      throw new QueueError('MessageNotInflight', 'Message does not exist or is not available for visibility timeout change.');
    }
    message.visibleAt = now + seconds * 1000;
    await this.persist(message.messageId);
    this.changed();
  }

  /** Messages visible now, in flight, and in all. */
  counts(): { visible: number; inFlight: number; total: number } {
    const now = this.now();
    let visible = 0;
    for (const message of this.messages.values()) {
      if (message.visibleAt <= now) {
        visible += 1;
      }
    }
    return { visible, inFlight: this.messages.size - visible, total: this.messages.size };
  }

  /** When the next invisible message becomes visible (ms since the epoch), if any. */
  nextVisibleAt(): number | undefined {
    const now = this.now();
    let next: number | undefined;
    for (const message of this.messages.values()) {
      if (message.visibleAt > now && (next === undefined || message.visibleAt < next)) {
        next = message.visibleAt;
      }
    }
    return next;
  }

  /** Calls `listener` on every send, delete or visibility change; returns the unsubscribe. */
  onChange(listener: () => void): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }

  /** Resolves once the writes started so far are on disk. */
  async flushed(): Promise<void> {
    await Promise.all([...this.writes.values()]);
  }

  private changed(): void {
    this.changes.emit('change');
  }

  /** Sent to the dead-letter queue before it leaves this one: a crash in between duplicates it, never loses it. */
  private async moveToDeadLetterQueue(message: StoredMessage): Promise<void> {
    await this.redrive?.deadLetterQueue.send(message.body, { senderId: message.senderId, messageId: message.messageId });
    await this.remove(message.messageId);
    this.changed();
  }

  /** Writes the message's current state after any write of it still in progress (so the last state wins). */
  private persist(messageId: string): Promise<void> {
    return this.chain(messageId, async () => {
      const message = this.messages.get(messageId);
      if (message === undefined) {
        return;
      }
      const file = this.fileOf(messageId);
      const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(temporary, JSON.stringify(message));
      await rename(temporary, file);
    });
  }

  private remove(messageId: string): Promise<void> {
    return this.chain(messageId, () => unlink(this.fileOf(messageId)).catch(() => undefined));
  }

  private chain(messageId: string, write: () => Promise<void>): Promise<void> {
    const previous = this.writes.get(messageId) ?? Promise.resolve();
    const next = previous.then(write);
    this.writes.set(messageId, next);
    void next.finally(() => {
      if (this.writes.get(messageId) === next) {
        this.writes.delete(messageId);
      }
    }).catch(() => undefined);
    return next;
  }

  private fileOf(messageId: string): string {
    return join(this.options.directory, `${messageId}.json`);
  }
}

/** `<messageId>:<receive>:<random>`, base64url: opaque to clients, and tied to one receive. */
function receiptHandleFor(message: StoredMessage): string {
  return Buffer.from(`${message.messageId}:${message.receiveCount}:${randomBytes(12).toString('hex')}`).toString('base64url');
}

function messageIdOf(receiptHandle: string): string {
  const decoded = Buffer.from(receiptHandle, 'base64url').toString('utf8');
  const [messageId, receive, nonce] = decoded.split(':');
  if (!messageId || !receive || !nonce) {
    throw new QueueError('ReceiptHandleIsInvalid', `The input receipt handle "${receiptHandle}" is not a valid receipt handle.`);
  }
  return messageId;
}

function toReceived(message: StoredMessage): ReceivedMessage {
  return {
    messageId: message.messageId,
    receiptHandle: message.receiptHandle!,
    body: message.body,
    md5OfBody: message.md5OfBody,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: message.senderId,
      ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
    },
  };
}
