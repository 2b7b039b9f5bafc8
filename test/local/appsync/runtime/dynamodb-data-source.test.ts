import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoDBDataSource } from '../../../../local/appsync/runtime/data-sources/dynamodb.ts';
import * as ddb from '../../../../local/appsync/runtime/modules/dynamodb.ts';
import type { TableSpec } from '../../../../domain/blobs-table.ts';
import { startLocalTable, type LocalTable } from '../../../resolvers/support/local-table.ts';

/** A table of the data source's own: a key `id` and an index that projects every attribute. */
const TABLE: TableSpec = {
  partitionKey: { name: 'id', type: 'S' },
  timeToLiveAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    { name: 'byCreatedAt', partitionKey: { name: 'entity', type: 'S' }, sortKey: { name: 'createdAt', type: 'S' }, projection: 'ALL' },
  ],
};

let table: LocalTable;
let source: DynamoDBDataSource;
beforeAll(async () => {
  table = await startLocalTable('runtime-test', TABLE);
  source = new DynamoDBDataSource({ client: table.requests, tableName: table.tableName });
});
afterAll(() => table.close());
beforeEach(() => table.reset());

const blob = (id: string, createdAt: string, extra: Record<string, unknown> = {}) => ({ entity: 'Blob', createdAt, status: 'PENDING_UPLOAD', ...extra });

describe('the DynamoDB data source', () => {
  it('puts an item and gets it back as plain JSON', async () => {
    const put = await source.execute(ddb.put({ key: { id: 'a' }, item: { ...blob('a', '2026-01-01'), size: 12, tags: ['x'], nested: { ok: true, none: null } } }));
    const got = await source.execute(ddb.get({ key: { id: 'a' } }));

    const expected = { id: 'a', entity: 'Blob', createdAt: '2026-01-01', status: 'PENDING_UPLOAD', size: 12, tags: ['x'], nested: { ok: true, none: null } };
    expect(put).toEqual({ result: expected });
    expect(got).toEqual({ result: expected });
  });

  it('returns null for a missing item', async () => {
    expect(await source.execute(ddb.get({ key: { id: 'missing' } }))).toEqual({ result: null });
  });

  it('reports a failed put condition as DynamoDB:ConditionalCheckFailedException and keeps the item', async () => {
    await source.execute(ddb.put({ key: { id: 'a' }, item: { v: 1 } }));

    const outcome = await source.execute(ddb.put({ key: { id: 'a' }, item: { v: 2 }, condition: { id: { attributeExists: false } } }));

    expect(outcome.result).toBeNull();
    expect(outcome.error).toMatchObject({
      type: 'DynamoDB:ConditionalCheckFailedException',
      message: expect.stringMatching(/^The conditional request failed \(Service: DynamoDb, Status Code: 400, Request ID: .+\)$/),
    });
    expect((await source.execute(ddb.get({ key: { id: 'a' } }))).result).toEqual({ id: 'a', v: 1 });
  });

  it('treats a failed put condition as success when the item already is the one being written', async () => {
    await source.execute(ddb.put({ key: { id: 'a' }, item: { v: 1 } }));

    const outcome = await source.execute(ddb.put({ key: { id: 'a' }, item: { v: 1 }, condition: { id: { attributeExists: false } } }));

    expect(outcome).toEqual({ result: { id: 'a', v: 1 } });
  });

  it('updates with SET, ADD, list_append and REMOVE and returns the new item', async () => {
    await source.execute(ddb.put({ key: { id: 'a' }, item: { count: 1, list: ['a'], gone: 'x', address: { city: 'Oslo', zip: '1' } } }));

    const outcome = await source.execute(
      ddb.update({
        key: { id: 'a' },
        update: { count: ddb.operations.increment(2), list: ddb.operations.append(['b']), gone: ddb.operations.remove(), address: { city: 'Paris' }, fresh: 'yes' },
        condition: { count: { eq: 1 } },
      }),
    );

    expect(outcome).toEqual({ result: { id: 'a', count: 3, list: ['a', 'b'], address: { city: 'Paris', zip: '1' }, fresh: 'yes' } });
  });

  it('runs a raw UpdateItem with if_not_exists, the first writer winning', async () => {
    const claim = (blobId: string) => ({
      operation: 'UpdateItem',
      key: { id: { S: 'idempotency#k' } },
      update: { expression: 'SET blobId = if_not_exists(blobId, :b)', expressionValues: { ':b': { S: blobId } } },
    });

    await source.execute(claim('first'));
    const second = await source.execute(claim('second'));

    expect(second).toEqual({ result: { id: 'idempotency#k', blobId: 'first' } });
  });

  it('deletes an item and returns it; a failed delete condition is a ctx.error', async () => {
    await source.execute(ddb.put({ key: { id: 'a' }, item: { entity: 'Blob' } }));

    const refused = await source.execute(ddb.remove({ key: { id: 'missing' }, condition: { entity: { eq: 'Blob' } } }));
    const deleted = await source.execute(ddb.remove({ key: { id: 'a' }, condition: { entity: { eq: 'Blob' } } }));

    expect(refused.error?.type).toBe('DynamoDB:ConditionalCheckFailedException');
    expect(deleted).toEqual({ result: { id: 'a', entity: 'Blob' } });
  });

  it('queries an index newest first, page by page, with an opaque nextToken', async () => {
    for (const [i, day] of ['01', '02', '03', '04', '05'].entries()) {
      await source.execute(ddb.put({ key: { id: `b${i}` }, item: blob(`b${i}`, `2026-01-${day}`) }));
    }
    await source.execute(ddb.put({ key: { id: 'idempotency#x' }, item: { blobId: 'b0' } }));
    const page = (nextToken?: string | null) =>
      source.execute(ddb.query({ index: 'byCreatedAt', query: { entity: { eq: 'Blob' } }, scanIndexForward: false, limit: 2, nextToken }));

    const first = (await page()).result as { items: Array<{ id: string }>; nextToken: string };
    const second = (await page(first.nextToken)).result as { items: Array<{ id: string }>; nextToken: string };
    const third = (await page(second.nextToken)).result as { items: Array<{ id: string }>; nextToken: string | null };

    expect([...first.items, ...second.items, ...third.items].map((i) => i.id)).toEqual(['b4', 'b3', 'b2', 'b1', 'b0']);
    expect(first.nextToken).toEqual(expect.any(String));
    expect(first.nextToken).not.toContain('b1');
  });

  it('applies a Query filter and a sort-key condition', async () => {
    await source.execute(ddb.put({ key: { id: 'a' }, item: blob('a', '2026-01-01', { status: 'LABELLED' }) }));
    await source.execute(ddb.put({ key: { id: 'b' }, item: blob('b', '2026-02-01', { status: 'LABELLED' }) }));
    await source.execute(ddb.put({ key: { id: 'c' }, item: blob('c', '2026-02-02', { status: 'FAILED' }) }));

    const outcome = await source.execute(
      ddb.query({ index: 'byCreatedAt', query: { entity: { eq: 'Blob' }, createdAt: { beginsWith: '2026-02' } }, filter: { status: { eq: 'LABELLED' } } }),
    );

    expect((outcome.result as { items: Array<{ id: string }> }).items.map((i) => i.id)).toEqual(['b']);
  });

  it('refuses a nextToken it did not issue', async () => {
    const outcome = await source.execute(ddb.query({ index: 'byCreatedAt', query: { entity: { eq: 'Blob' } }, nextToken: 'bm9wZQ==' }));

    expect(outcome.error).toEqual({
      type: 'DynamoDB:UserIllegalArgumentException',
      message: 'com.amazonaws.deepdish.common.pagination.InvalidPaginationTokenException: Invalid pagination token given.',
    });
  });

  it('scans with a filter', async () => {
    await source.execute(ddb.put({ key: { id: 'a' }, item: { n: 1 } }));
    await source.execute(ddb.put({ key: { id: 'b' }, item: { n: 5 } }));

    const outcome = await source.execute(ddb.scan({ filter: { n: { gt: 2 } } }));

    expect((outcome.result as { items: unknown[] }).items).toEqual([{ id: 'b', n: 5 }]);
  });

  it('puts, gets and deletes in batches, reporting missing items as null', async () => {
    const name = table.tableName;
    await source.execute(ddb.batchPut({ tables: { [name]: [{ id: 'a', v: 1 }, { id: 'b', v: 2 }] } }));

    const got = await source.execute(ddb.batchGet({ tables: { [name]: { keys: [{ id: 'b' }, { id: 'zz' }, { id: 'a' }] } } }));
    await source.execute(ddb.batchDelete({ tables: { [name]: [{ id: 'a' }] } }));

    expect(got.result).toEqual({ data: { [name]: [{ id: 'b', v: 2 }, null, { id: 'a', v: 1 }] }, unprocessedKeys: { [name]: [] } });
    expect(await table.scanAll()).toHaveLength(1);
  });

  it('passes DynamoDB validation errors to ctx.error with their exception name', async () => {
    const outcome = await source.execute({ operation: 'GetItem', key: { nope: { S: 'x' } } });

    expect(outcome.error?.type).toBe('DynamoDB:ValidationException');
  });

  it('refuses an operation it does not know', async () => {
    await expect(source.execute({ operation: 'Explode' })).rejects.toThrow(/Unsupported operation 'Explode'/);
  });
});
