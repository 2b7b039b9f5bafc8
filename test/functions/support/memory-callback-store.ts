// An in-memory stand-in for BlobStore.recordCallbackAttempt (its DynamoDB expression is tested in blob-store.test.ts).
import type { BlobRecord } from '../../../domain/blob.ts';
import type { BlobStore, CallbackAttempt } from '../../../functions/storage/blob-store.ts';

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
    const at = attempt.at.toISOString();
    const callback = this.record.callback;
    this.record = {
      ...this.record,
      updatedAt: at,
      callback: {
        ...callback,
        status: attempt.status,
        attempts: callback.attempts + 1,
        lastAttemptAt: at,
        lastError: attempt.error ?? null,
        deliveredAt: attempt.status === 'DELIVERED' ? at : callback.deliveredAt,
      },
    };
    return structuredClone(this.record);
  }
}
