// Every DynamoDB read and write of blob records by the functions.
// Each state change is one conditional UpdateItem on the state it leaves, so a duplicated S3 event, a redelivered
// message or a late attempt whose lease was taken over cannot process twice or move a final state back.
//
//   PENDING_UPLOAD ──startProcessing──▶ PROCESSING ──markLabelled──▶ LABELLED
//   PROCESSING (lease passed) ──startProcessing──▶ PROCESSING (taken over)
//   PROCESSING ──markRejected──▶ REJECTED        PROCESSING ──markFailed──▶ FAILED
//   PROCESSING ──releaseLease──▶ PROCESSING (free to be taken over at once, when an attempt gives up for a retry)
//   LABELLED | FAILED | REJECTED ──recordCallbackAttempt──▶ same state, callback updated
//
// The lease is the `processingStartedAt` written by startProcessing: later transitions of that attempt are
// conditional on it, so only the attempt holding the lease can finish the record.
//
// A final transition also starts the announcement: `announcingSince` says the result is stored but subscribers and
// the callback may not have heard of it yet. The attempt removes it once it has published (finishAnnouncing); an
// attempt that died in between leaves it behind, and a redelivered message takes the announcement over once it is
// older than the lease (claimAnnouncement). So a crash between the write and the publish cannot leave a subscriber
// waiting forever.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand, type UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { BLOB_ENTITY, type BlobRecord, type StoredBlobStatus } from '../../domain/blob.ts';
import type { BlobError, Label } from '../../generated/graphql.ts';
import { DomainError, fromAwsError, isConditionalCheckFailed } from '../commons/errors.ts';
import type { CallbackAttempt } from '../webhooks/callback-attempt.ts';

// Who may claim a blob: a blob record waiting for its upload, or one whose processing lease has passed (or that has
// none). Written as a disjunction without nested parentheses (AND binds before OR): the local DynamoDB's expression
// parser backtracks on each nested group, and took 10-50 ms over the nested form of the same condition.
const CLAIMABLE =
  'entity = :blob AND #status = :pending' +
  ' OR entity = :blob AND #status = :processing AND attribute_not_exists(processingStartedAt)' +
  ' OR entity = :blob AND #status = :processing AND processingStartedAt < :leaseCutoff';

/** A blob record with the bookkeeping of processing that the API never shows. */
export type StoredBlob = BlobRecord & {
  /** Set by a final transition until the result has been published and called back (see the header). */
  announcingSince?: string;
};

export type StartProcessingResult =
  | { started: true; record: StoredBlob; lease: string; tookOver: boolean }
  /**
   * Nothing to start: the record is missing, already being processed under a live lease, or final. `current` is the
   * record as it stands (null when there is no blob), for the caller to tell "done" from "come back later".
   */
  | { started: false; current: StoredBlob | null };

export type ClaimAnnouncementResult =
  | { claimed: true; record: StoredBlob; since: string }
  | { claimed: false; current: StoredBlob | null };

type Item = Record<string, unknown>;

/** The DocumentClient the store works through: plain JavaScript values in, plain values out. */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

export class BlobStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The blob record, or null when there is none (idempotency records in the same table are not blobs). */
  async get(id: string): Promise<StoredBlob | null> {
    try {
      const { Item } = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }));
      return toRecord(Item);
    } catch (error) {
      throw fromAwsError('DynamoDB', error);
    }
  }

  /**
   * PENDING_UPLOAD → PROCESSING, or takes over a PROCESSING record whose lease has passed (a crashed or timed-out
   * attempt). Removes the TTL: an uploaded blob is kept. Anything else is not an error: the caller decides from the
   * current record whether to skip or to come back later.
   */
  async startProcessing(id: string, now: Date, leaseSeconds: number): Promise<StartProcessingResult> {
    const lease = now.toISOString();
    const outcome = await this.update(id, {
      UpdateExpression: 'SET #status = :processing, processingStartedAt = :lease, updatedAt = :lease REMOVE expiresAt',
      ConditionExpression: CLAIMABLE,
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':processing': 'PROCESSING',
        ':pending': 'PENDING_UPLOAD',
        ':blob': BLOB_ENTITY,
        ':lease': lease,
        ':leaseCutoff': leaseCutoff(now, leaseSeconds),
      },
      ReturnValues: 'ALL_OLD',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    if (!outcome.applied) {
      return { started: false, current: await this.refusedRecord(id, outcome.refusal) };
    }
    const previous = requireRecord(id, outcome.attributes);
    const record: StoredBlob = { ...previous, status: 'PROCESSING', processingStartedAt: lease, updatedAt: lease };
    delete record.expiresAt;
    return { started: true, record, lease, tookOver: previous.status === 'PROCESSING' };
  }

  markLabelled(id: string, lease: string, result: { labels: Label[]; size: number; now: Date }): Promise<StoredBlob> {
    return this.finish(id, lease, 'LABELLED', result.now, {
      set: { labels: result.labels, size: result.size, labelledAt: result.now.toISOString() },
      remove: ['error'],
    });
  }

  markRejected(id: string, lease: string, result: { error: BlobError; size?: number; now: Date }): Promise<StoredBlob> {
    return this.finish(id, lease, 'REJECTED', result.now, {
      set: { error: result.error, size: result.size },
      remove: ['labels'],
    });
  }

  markFailed(id: string, lease: string, result: { error: BlobError; size?: number; now: Date }): Promise<StoredBlob> {
    return this.finish(id, lease, 'FAILED', result.now, {
      set: { error: result.error, size: result.size },
      remove: ['labels'],
    });
  }

  /**
   * Takes over the announcement of a final blob whose announcing attempt let its lease pass (it died between
   * storing the result and publishing it).
   */
  async claimAnnouncement(id: string, now: Date, leaseSeconds: number): Promise<ClaimAnnouncementResult> {
    const since = now.toISOString();
    const outcome = await this.update(id, {
      UpdateExpression: 'SET announcingSince = :since',
      ConditionExpression: '#status IN (:labelled, :failed, :rejected) AND announcingSince < :leaseCutoff',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':since': since,
        ':leaseCutoff': leaseCutoff(now, leaseSeconds),
        ':labelled': 'LABELLED',
        ':failed': 'FAILED',
        ':rejected': 'REJECTED',
      },
      ReturnValues: 'ALL_NEW',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    return outcome.applied
      ? { claimed: true, record: requireRecord(id, outcome.attributes), since }
      : { claimed: false, current: await this.refusedRecord(id, outcome.refusal) };
  }

  /** The result has been published and called back: nobody needs to announce it again. */
  async finishAnnouncing(id: string, since: string): Promise<void> {
    // Refused: taken over by another attempt, or deleted: it is theirs now.
    await this.update(id, {
      UpdateExpression: 'REMOVE announcingSince',
      ConditionExpression: 'announcingSince = :since',
      ExpressionAttributeValues: { ':since': since },
    });
  }

  /** Gives the lease up, so that a retry of this invocation can take the record over without waiting for it to pass. */
  async releaseLease(id: string, lease: string, now: Date): Promise<void> {
    // Refused: someone else holds it now, nothing to give up.
    await this.update(id, {
      UpdateExpression: 'SET updatedAt = :now REMOVE processingStartedAt',
      ConditionExpression: '#status = :processing AND processingStartedAt = :lease',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':processing': 'PROCESSING', ':lease': lease, ':now': now.toISOString() },
    });
  }

  /** Counts one delivery attempt on a final blob with a callback, and records its outcome. */
  async recordCallbackAttempt(id: string, attempt: CallbackAttempt): Promise<BlobRecord> {
    const at = attempt.at.toISOString();
    const set = [
      'callback.#callbackStatus = :callbackStatus',
      'callback.attempts = if_not_exists(callback.attempts, :zero) + :one',
      'callback.lastAttemptAt = :at',
      'updatedAt = :at',
    ];
    const values: Item = {
      ':callbackStatus': attempt.status,
      ':zero': 0,
      ':one': 1,
      ':at': at,
      ':labelled': 'LABELLED',
      ':failed': 'FAILED',
      ':rejected': 'REJECTED',
    };
    const remove: string[] = [];
    if (attempt.error === undefined) {
      remove.push('callback.lastError');
    } else {
      set.push('callback.lastError = :lastError');
      values[':lastError'] = attempt.error;
    }
    if (attempt.status === 'DELIVERED') {
      set.push('callback.deliveredAt = :at');
    }
    const outcome = await this.update(id, {
      UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ConditionExpression: 'attribute_exists(callback) AND #status IN (:labelled, :failed, :rejected)',
      ExpressionAttributeNames: { '#status': 'status', '#callbackStatus': 'status' },
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    });
    if (!outcome.applied) {
      throw new DomainError('StaleRecord', `Blob ${id} has no callback to record, is not final, or was deleted`, { cause: outcome.refusal });
    }
    return requireRecord(id, outcome.attributes);
  }

  private async finish(
    id: string,
    lease: string,
    status: Extract<StoredBlobStatus, 'LABELLED' | 'FAILED' | 'REJECTED'>,
    now: Date,
    change: { set: Item; remove: string[] },
  ): Promise<StoredBlob> {
    const values: Item = { ':status': status, ':processing': 'PROCESSING', ':lease': lease, ':now': now.toISOString() };
    const names: Record<string, string> = { '#status': 'status' };
    const set = ['#status = :status', 'updatedAt = :now', 'announcingSince = :now'];
    for (const [attribute, value] of Object.entries(change.set)) {
      if (value === undefined) {
        continue;
      }
      names[`#${attribute}`] = attribute;
      values[`:${attribute}`] = value;
      set.push(`#${attribute} = :${attribute}`);
    }
    const remove = ['processingStartedAt', ...change.remove.map((attribute) => `#${attribute}`)];
    for (const attribute of change.remove) {
      names[`#${attribute}`] = attribute;
    }
    const outcome = await this.update(id, {
      UpdateExpression: `SET ${set.join(', ')} REMOVE ${remove.join(', ')}`,
      ConditionExpression: '#status = :processing AND processingStartedAt = :lease',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ReturnValues: 'ALL_NEW',
    });
    if (!outcome.applied) {
      throw new DomainError('StaleRecord', `Blob ${id} is no longer PROCESSING under this attempt's lease`, { cause: outcome.refusal });
    }
    return requireRecord(id, outcome.attributes);
  }

  /** One conditional UpdateItem of the blob `id`: what it returned, or the refusal when its condition did not hold. */
  private async update(
    id: string,
    input: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
  ): Promise<{ applied: true; attributes: Item | undefined } | { applied: false; refusal: unknown }> {
    try {
      const { Attributes } = await this.doc.send(new UpdateCommand({ TableName: this.tableName, Key: { id }, ...input }));
      return { applied: true, attributes: Attributes };
    } catch (error) {
      if (isConditionalCheckFailed(error)) {
        return { applied: false, refusal: error };
      }
      throw fromAwsError('DynamoDB', error);
    }
  }

  /**
   * The record a refused condition found. DynamoDB returns it with the refusal (ReturnValuesOnConditionCheckFailure);
   * an engine that does not (the local DynamoDB) costs one consistent read instead.
   */
  private async refusedRecord(id: string, refusal: unknown): Promise<StoredBlob | null> {
    const item = (refusal as { Item?: Parameters<typeof unmarshall>[0] }).Item;
    return item === undefined ? this.get(id) : toRecord(unmarshall(item));
  }
}

function leaseCutoff(now: Date, leaseSeconds: number): string {
  return new Date(now.getTime() - leaseSeconds * 1000).toISOString();
}

function toRecord(item: Item | undefined): StoredBlob | null {
  if (item === undefined || item.entity !== BLOB_ENTITY || typeof item.id !== 'string') {
    return null;
  }
  // The item was written by the createBlob pipeline and the functions, in BlobRecord's shape.
  return item as unknown as StoredBlob;
}

function requireRecord(id: string, item: Item | undefined): StoredBlob {
  const record = toRecord(item);
  if (record === null) {
    throw new DomainError('InternalError', `UpdateItem on blob ${id} returned no record`);
  }
  return record;
}
