// The local AppSync's data sources reach the local DynamoDB without HTTP, as AWS's own services do: they must see what
// a signed SDK call through the front sees (the role's IAM policy, DynamoDB's validation errors and exceptions), and
// the data source must map them into ctx.error as before.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand, type GetItemCommandInput } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION, localCredentials } from '../../../local/config.ts';
import { DynamoDBDataSource } from '../../../local/appsync/runtime/data-sources/dynamodb.ts';
import { DynamoDbServiceError } from '../../../local/dynamodb/direct-client.ts';
import { startDynamoDb, type LocalDynamoDb } from '../../../local/dynamodb/server.ts';
import { accessControl } from '../../../local/iam/access.ts';
import { dataSourceRoles, localResourceArns } from '../../../local/iam/roles.ts';
import { silentLogger } from '../../../local/log.ts';
import { dataSources } from '../../../resolvers/manifest.ts';

const TABLE = 'blobs';
const arns = localResourceArns({
  region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID, bucket: 'uploads', stage: 'local', table: TABLE,
  uploadQueue: 'upload-events', apiId: 'api', webhookSecretName: 'webhook',
});
const blobsTable = dataSources.blobsTable;
if (blobsTable.kind !== 'DYNAMODB') throw new Error('resolvers/manifest.ts: blobsTable is a DynamoDB data source');
/** The manifest's data source, and a copy of it whose role may do everything but read an item. */
const roles = dataSourceRoles(
  {
    declared: blobsTable,
    withoutGetItem: {
      ...blobsTable,
      permissions: blobsTable.permissions.map((permission) => ({ ...permission, actions: permission.actions.filter((action) => action !== 'dynamodb:GetItem') })),
    },
  },
  arns,
  { accountId: LOCAL_ACCOUNT_ID, stage: 'local', keySeed: 'test-seed' },
);
const declared = roles.get('declared')!;
const withoutGetItem = roles.get('withoutGetItem')!;
const access = accessControl({ accountId: LOCAL_ACCOUNT_ID, administrator: LOCAL_CREDENTIALS, roles: [declared, withoutGetItem] });
const GET_B1: GetItemCommandInput = { TableName: TABLE, Key: { id: { S: 'b1' } } };
const denial =
  `User: arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/image-labels-local-appsync-withoutGetItem/APPSYNC_ASSUME_ROLE is not authorized to perform: ` +
  `dynamodb:GetItem on resource: ${arns.blobsTable} because no identity-based policy allows the dynamodb:GetItem action`;

let dataDir: string;
let dynamodb: LocalDynamoDb;
/** The same role's key, signing SDK calls through the front: what the direct client must agree with. */
let signedAs: (role: typeof declared) => DynamoDBClient;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-ddb-direct-'));
  dynamodb = await startDynamoDb({
    dataDir, host: '127.0.0.1', port: 0, tableName: TABLE, region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID,
    credentials: localCredentials(), access, ttlSweepSeconds: 3600, logger: silentLogger,
  });
  await dynamodb.client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'b1' }, size: { N: '12' }, bytes: { B: Buffer.from('hi') } } }));
  signedAs = (role) => new DynamoDBClient({ region: LOCAL_REGION, endpoint: dynamodb.endpoint, credentials: { ...role.credentials }, maxAttempts: 1 });
});
afterAll(async () => {
  await dynamodb.close();
  await rm(dataDir, { recursive: true, force: true });
});

const failure = (promise: Promise<unknown>) => promise.then(() => expect.fail('the request succeeded'), (error: unknown) => error);

describe('the direct DynamoDB client of the local cloud\'s services', () => {
  it('answers an allowed GetItem with the item in DynamoDB\'s JSON, binary as base64', async () => {
    const output = await dynamodb.requestsAs(declared.credentials.accessKeyId).send('GetItem', { ...GET_B1 });

    expect(output).toEqual({ Item: { id: { S: 'b1' }, size: { N: '12' }, bytes: { B: Buffer.from('hi').toString('base64') } } });
  });

  it('gives each of many requests made together its own answer', async () => {
    const client = dynamodb.requestsAs(declared.credentials.accessKeyId);
    const ids = Array.from({ length: 20 }, (_, index) => `many-${index}`);
    await Promise.all(ids.map((id, index) => client.send('PutItem', { TableName: TABLE, Item: { id: { S: id }, n: { N: String(index) } } })));

    const answers = await Promise.all([...ids, 'missing'].map((id) => client.send('GetItem', { TableName: TABLE, Key: { id: { S: id } }, ConsistentRead: true })));

    expect(answers).toEqual([...ids.map((id, index) => ({ Item: { id: { S: id }, n: { N: String(index) } } })), {}]);
  });

  it('refuses a role without dynamodb:GetItem with the AccessDeniedException the front answers the same role', async () => {
    const direct = await failure(dynamodb.requestsAs(withoutGetItem.credentials.accessKeyId).send('GetItem', { ...GET_B1 }));
    const signed = await failure(signedAs(withoutGetItem).send(new GetItemCommand(GET_B1)));

    expect(direct).toBeInstanceOf(DynamoDbServiceError);
    expect(direct).toMatchObject({ name: 'AccessDeniedException', message: denial, status: 400 });
    expect(signed).toMatchObject({ name: 'AccessDeniedException', message: denial, $metadata: { httpStatusCode: 400 } });
  });

  it('refuses a key nobody holds', async () => {
    const refused = await failure(dynamodb.requestsAs('LOCALAPPSYNCNOBODY').send('GetItem', { ...GET_B1 }));

    expect(refused).toMatchObject({ name: 'AccessDeniedException', message: 'The access key LOCALAPPSYNCNOBODY is not known' });
  });

  it('refuses a Scan, which the manifest never grants its role', async () => {
    const refused = await failure(dynamodb.requestsAs(declared.credentials.accessKeyId).send('Scan', { TableName: TABLE }));

    expect(refused).toMatchObject({ name: 'AccessDeniedException' });
    expect((refused as Error).message).toContain('is not authorized to perform: dynamodb:Scan on resource');
  });

  it('answers a malformed request with DynamoDB\'s ValidationException, as over HTTP', async () => {
    const malformed = { TableName: TABLE, Key: { id: { S: 'b1', N: '1' } } };

    const direct = await failure(dynamodb.requestsAs(declared.credentials.accessKeyId).send('GetItem', malformed));
    const signed = await failure(signedAs(declared).send(new GetItemCommand(malformed as unknown as GetItemCommandInput)));

    expect(direct).toMatchObject({ name: 'ValidationException', status: 400 });
    expect((direct as Error).message).toBe((signed as Error).message);
    expect((direct as Error).message).toMatch(/Supplied AttributeValue has more than one datatypes set/);
  });

  it('answers ConditionalCheckFailedException to a failed condition and writes nothing', async () => {
    const client = dynamodb.requestsAs(declared.credentials.accessKeyId);

    const failed = await failure(client.send('PutItem', { TableName: TABLE, Item: { id: { S: 'b1' } }, ConditionExpression: 'attribute_not_exists(id)' }));
    const kept = await client.send('GetItem', { ...GET_B1, ConsistentRead: true });

    expect(failed).toMatchObject({ name: 'ConditionalCheckFailedException', message: 'The conditional request failed', status: 400 });
    expect(kept).toMatchObject({ Item: { size: { N: '12' } } });
  });
});

describe('the DynamoDB data source, as its role', () => {
  it('maps a refusal of its role into ctx.error as AppSync does', async () => {
    const source = new DynamoDBDataSource({ client: dynamodb.requestsAs(withoutGetItem.credentials.accessKeyId), tableName: TABLE });

    const outcome = await source.execute({ operation: 'GetItem', key: { id: { S: 'b1' } } });

    expect(outcome).toEqual({
      result: null,
      error: { type: 'DynamoDB:AccessDeniedException', message: expect.stringMatching(/^User: .+ \(Service: DynamoDb, Status Code: 400, Request ID: [\w-]+\)$/) },
    });
    expect(outcome.error!.message.startsWith(denial)).toBe(true);
  });

  it('maps a malformed key into ctx.error as DynamoDB:ValidationException', async () => {
    const source = new DynamoDBDataSource({ client: dynamodb.requestsAs(declared.credentials.accessKeyId), tableName: TABLE });

    const outcome = await source.execute({ operation: 'GetItem', key: { id: { S: 'b1' }, extra: { S: 'x' } } });

    expect(outcome).toMatchObject({ result: null, error: { type: 'DynamoDB:ValidationException', message: expect.stringMatching(/key element does not match the schema/) } });
  });

  it('reads the item as plain JSON, binary as base64 text', async () => {
    const source = new DynamoDBDataSource({ client: dynamodb.requestsAs(declared.credentials.accessKeyId), tableName: TABLE });

    expect(await source.execute({ operation: 'GetItem', key: { id: { S: 'b1' } } })).toEqual({ result: { id: 'b1', size: 12, bytes: Buffer.from('hi').toString('base64') } });
  });
});
