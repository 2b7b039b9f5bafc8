// An in-memory stand-in for BlobStore.recordCallbackAttempt (its DynamoDB expression is tested in blob-store.test.ts).
import type { BlobRecord } from '../../../domain/blob.ts';
import type { BlobStore } from '../../../functions/storage/blob-store.ts';
import { type CallbackAttempt, callbackAfterAttempt } from '../../../functions/webhooks/callback-attempt.ts';

export class MemoryCallbackStore implements Pick<BlobStore, 'recordCallbackAttempt' | 'get'> {
  readonly attempts: CallbackAttempt[] = [];

  constructor(public record: BlobRecord | null) {}

  async get(id: string): Promise<BlobRecord | null> {
    return this.record?.id === id ? structuredClone(this.record) : null;
  }

  async recordCallbackAttempt(id: string, attempt: CallbackAttempt): Promise<BlobRecord> {
    if (!this.record || this.record.id !== id || !this.record.callback) {
      throw new Error('no such blob with a callback');
    }
    this.attempts.push(attempt);
    this.record = { ...this.record, updatedAt: attempt.at.toISOString(), callback: callbackAfterAttempt(this.record.callback, attempt) };
    return structuredClone(this.record);
  }
}
