// Each local service, called by the unmodified AWS SDK with a function's key, refuses what that function's role does
// not allow, with the error the AWS service answers, and serves what it allows.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DetectLabelsCommand, RekognitionClient } from '@aws-sdk/client-rekognition';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION, localCredentials } from '../../../local/config.ts';
import { startDynamoDb, type LocalDynamoDb } from '../../../local/dynamodb/server.ts';
import { accessControl, type KeyPair } from '../../../local/iam/access.ts';
import { startAwsJsonFront, type AwsJsonFront } from '../../../local/iam/aws-json-front.ts';
import { rekognitionRule } from '../../../local/iam/rekognition-rules.ts';
import { silentLogger } from '../../../local/log.ts';
import { startS3Server, type LocalS3 } from '../../../local/s3/server.ts';
import { LocalQueue } from '../../../local/sqs/queue.ts';
import { startSqsServer, type LocalSqs } from '../../../local/sqs/server.ts';
import { listen } from '../../../local/net.ts';
import { IAM, PUBLISH_BLOB_RESULT, postSigned, startTestServer, type TestServer } from '../appsync/support/clients.ts';

const TABLE = 'blobs';
const BUCKET = 'uploads';
const QUEUE = 'upload-events';
const arn = {
  table: `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:table/${TABLE}`,
  objects: `arn:aws:s3:::${BUCKET}/local/*`,
  queue: `arn:aws:sqs:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:${QUEUE}`,
};
const reader: KeyPair = { accessKeyId: 'LOCALLAMBDAREADER', secretAccessKey: 'reader-secret' };
const READER_ARN = `arn:aws:sts::${LOCAL_ACCOUNT_ID}:assumed-role/reader/reader`;
/** A function allowed to read: items, objects of the stage, messages; and to label. */
const access = accessControl({
  accountId: LOCAL_ACCOUNT_ID,
  administrator: LOCAL_CREDENTIALS,
  roles: [{
    arn: READER_ARN,
    credentials: reader,
    statements: [
      { actions: ['dynamodb:GetItem'], resources: [arn.table] },
      { actions: ['s3:GetObject'], resources: [arn.objects] },
      { actions: ['sqs:ReceiveMessage', 'sqs:GetQueueUrl'], resources: [arn.queue] },
      { actions: ['rekognition:DetectLabels'], resources: ['*'] },
    ],
  }],
});
const asReader = { region: LOCAL_REGION, credentials: { ...reader }, maxAttempts: 1 };
const asAdmin = { region: LOCAL_REGION, credentials: localCredentials(), maxAttempts: 1 };
const denial = (action: string, resource: string) =>
  `User: ${READER_ARN} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'local-iam-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

describe('the local DynamoDB, behind its front', () => {
  let dynamodb: LocalDynamoDb;

  beforeAll(async () => {
    dynamodb = await startDynamoDb({
      dataDir: join(dataDir, 'ddb'), host: '127.0.0.1', port: 0, tableName: TABLE, region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID,
      credentials: localCredentials(), access, ttlSweepSeconds: 3600, logger: silentLogger,
    });
    await new DynamoDBClient({ ...asAdmin, endpoint: dynamodb.endpoint }).send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'b1' } } }));
  });
  afterAll(() => dynamodb.close());

  it('serves an action the role allows', async () => {
    const client = new DynamoDBClient({ ...asReader, endpoint: dynamodb.endpoint });

    const { Item } = await client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'b1' } } }));

    expect(Item).toEqual({ id: { S: 'b1' } });
  });

  it('answers AccessDeniedException to an action the role lacks, and writes nothing', async () => {
    const client = new DynamoDBClient({ ...asReader, endpoint: dynamodb.endpoint });

    const refused = await client.send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'b2' } } })).catch((error: Error) => error);
    const { Item } = await dynamodb.client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'b2' } } }));

    expect(refused).toMatchObject({ name: 'AccessDeniedException', message: denial('dynamodb:PutItem', arn.table), $metadata: { httpStatusCode: 400 } });
    expect(Item).toBeUndefined();
  });

  it('checks a query of an index against the index, not the table', async () => {
    const client = new DynamoDBClient({ ...asReader, endpoint: dynamodb.endpoint });

    const refused = await client.send(new QueryCommand({
      TableName: TABLE, IndexName: 'byOwner', KeyConditionExpression: '#o = :o', ExpressionAttributeNames: { '#o': 'owner' }, ExpressionAttributeValues: { ':o': { S: 'x' } },
    })).catch((error: Error) => error);

    expect(refused).toMatchObject({ name: 'AccessDeniedException', message: denial('dynamodb:Query', `${arn.table}/index/byOwner`) });
  });

  it('passes DynamoDB\'s own errors through unchanged: a failed condition is ConditionalCheckFailedException, its request id kept', async () => {
    const client = new DynamoDBClient({ ...asAdmin, endpoint: dynamodb.endpoint });

    const failed = await client
      .send(new PutItemCommand({ TableName: TABLE, Item: { id: { S: 'b1' } }, ConditionExpression: 'attribute_not_exists(id)' }))
      .catch((error: Error & { $metadata?: { requestId?: string; httpStatusCode?: number } }) => error);

    expect(failed).toMatchObject({ name: 'ConditionalCheckFailedException', message: 'The conditional request failed', $metadata: { httpStatusCode: 400 } });
    expect((failed as { $metadata: { requestId?: string } }).$metadata.requestId).toMatch(/^[0-9A-Z]{52}$/);
  });

  it('refuses a key it does not know as DynamoDB does', async () => {
    const client = new DynamoDBClient({ ...asReader, endpoint: dynamodb.endpoint, credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'x' } });

    const refused = await client.send(new GetItemCommand({ TableName: TABLE, Key: { id: { S: 'b1' } } })).catch((error: Error) => error);

    expect(refused).toMatchObject({ name: 'UnrecognizedClientException' });
  });
});

describe('the local S3', () => {
  let s3: LocalS3;

  beforeAll(async () => {
    s3 = await startS3Server({
      dataDir: join(dataDir, 's3'), host: '127.0.0.1', port: 0, bucket: BUCKET, region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID,
      credentials: LOCAL_CREDENTIALS, access, logger: silentLogger,
    });
    await new S3Client({ ...asAdmin, endpoint: s3.endpoint, forcePathStyle: true }).send(new PutObjectCommand({ Bucket: BUCKET, Key: 'local/o1', Body: 'bytes' }));
  });
  afterAll(() => s3.close());

  it('lets the role read an object of the stage', async () => {
    const client = new S3Client({ ...asReader, endpoint: s3.endpoint, forcePathStyle: true });

    const object = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'local/o1' }));

    expect(await object.Body!.transformToString()).toBe('bytes');
  });

  it.each([
    ['an upload', () => new PutObjectCommand({ Bucket: BUCKET, Key: 'local/o2', Body: 'x' }), 's3:PutObject', `arn:aws:s3:::${BUCKET}/local/o2`],
    ['a read outside the stage', () => new GetObjectCommand({ Bucket: BUCKET, Key: 'other/o1' }), 's3:GetObject', `arn:aws:s3:::${BUCKET}/other/o1`],
  ])('answers 403 AccessDenied to %s the role lacks', async (_case, command, action, resource) => {
    const client = new S3Client({ ...asReader, endpoint: s3.endpoint, forcePathStyle: true });

    const refused = await client.send(command()).catch((error: Error) => error);

    expect(refused).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect((refused as Error).message).toBe(denial(action, `"${resource}"`));
  });
});

describe('the local SQS', () => {
  let sqs: LocalSqs;

  beforeAll(async () => {
    const queue = await LocalQueue.open({ name: QUEUE, directory: join(dataDir, 'sqs'), region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID, visibilityTimeoutSeconds: 30 });
    sqs = await startSqsServer({
      host: '127.0.0.1', port: 0, region: LOCAL_REGION, accountId: LOCAL_ACCOUNT_ID, credentials: LOCAL_CREDENTIALS, access, queues: [queue], logger: silentLogger,
    });
  });
  afterAll(() => sqs.close());

  it('lets the role receive, and answers AccessDenied to a send it lacks', async () => {
    const client = new SQSClient({ ...asReader, endpoint: sqs.endpoint });
    const { QueueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: QUEUE }));

    const received = await client.send(new ReceiveMessageCommand({ QueueUrl }));
    const refused = await client.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' })).catch((error: Error) => error);

    expect(received.Messages ?? []).toEqual([]);
    expect(refused).toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect((refused as Error).message).toBe(denial('sqs:sendmessage', arn.queue));
  });
});

describe('the local Rekognition, behind its front', () => {
  let service: Server;
  let front: AwsJsonFront;
  const forwarded: string[] = [];

  beforeAll(async () => {
    service = createServer((req, res) => {
      forwarded.push(String(req.headers['x-amz-target']));
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' }).end('{"Labels":[]}');
    });
    const port = await listen(service, 0, '127.0.0.1');
    front = await startAwsJsonFront({
      host: '127.0.0.1', port: 0, region: LOCAL_REGION, service: 'rekognition', upstream: `http://127.0.0.1:${port}`,
      contentType: 'application/x-amz-json-1.1', access, authorize: rekognitionRule(access), logger: silentLogger,
    });
  });
  afterAll(async () => {
    await front.close();
    await new Promise((resolve) => service.close(resolve));
  });

  it('passes DetectLabels on an object the caller may read through to Rekognition', async () => {
    const client = new RekognitionClient({ ...asReader, endpoint: front.endpoint });

    const answer = await client.send(new DetectLabelsCommand({ Image: { S3Object: { Bucket: BUCKET, Name: 'local/o1' } } }));

    expect(answer.Labels).toEqual([]);
    expect(forwarded).toEqual(['RekognitionService.DetectLabels']);
  });

  it('answers InvalidS3ObjectException when the caller may not read the object, as Rekognition reads it with the caller\'s rights', async () => {
    const client = new RekognitionClient({ ...asReader, endpoint: front.endpoint });

    const refused = await client.send(new DetectLabelsCommand({ Image: { S3Object: { Bucket: BUCKET, Name: 'other/o1' } } })).catch((error: Error) => error);

    expect(refused).toMatchObject({ name: 'InvalidS3ObjectException' });
  });

  it('answers InternalServerError when a service reached without HTTP fails, and keeps serving', async () => {
    let calls = 0;
    const flaky = await startAwsJsonFront({
      host: '127.0.0.1', port: 0, region: LOCAL_REGION, service: 'rekognition', contentType: 'application/x-amz-json-1.1',
      upstream: (target) => (calls++ === 0 ? Promise.reject(new Error('thread gone')) : Promise.resolve({ status: 200, headers: { 'x-amzn-requestid': 'r1' }, body: `{"Labels":[],"LabelModelVersion":"${target}"}` })),
      access, authorize: rekognitionRule(access), logger: silentLogger,
    });
    const client = new RekognitionClient({ ...asReader, endpoint: flaky.endpoint });
    const detect = () => client.send(new DetectLabelsCommand({ Image: { Bytes: new Uint8Array([1]) } }));

    const failed = await detect().catch((error: Error) => error);
    const answered = await detect();
    await flaky.close();

    expect(failed).toMatchObject({ name: 'InternalServerError', $metadata: { httpStatusCode: 500 } });
    expect(answered).toMatchObject({ Labels: [], LabelModelVersion: 'RekognitionService.DetectLabels' });
  });

  it('answers AccessDeniedException to a caller without rekognition:DetectLabels', async () => {
    const outsider = accessControl({ accountId: LOCAL_ACCOUNT_ID, administrator: LOCAL_CREDENTIALS, roles: [{ arn: READER_ARN, credentials: reader, statements: [] }] });
    const strict = await startAwsJsonFront({
      host: '127.0.0.1', port: 0, region: LOCAL_REGION, service: 'rekognition', upstream: 'http://127.0.0.1:9', contentType: 'application/x-amz-json-1.1',
      access: outsider, authorize: rekognitionRule(outsider), logger: silentLogger,
    });
    const client = new RekognitionClient({ ...asReader, endpoint: strict.endpoint });

    const refused = await client.send(new DetectLabelsCommand({ Image: { Bytes: new Uint8Array([1]) } })).catch((error: Error) => error);
    await strict.close();

    expect(refused).toMatchObject({
      name: 'AccessDeniedException',
      message: `User: ${READER_ARN} is not authorized to perform: rekognition:DetectLabels because no identity-based policy allows the rekognition:DetectLabels action`,
    });
  });
});

describe('the local AppSync, for IAM callers', () => {
  let t: TestServer;
  const API_ID = 'api1';
  const publisher: KeyPair = { accessKeyId: 'LOCALLAMBDAPUBLISHER', secretAccessKey: 'publisher-secret' };

  beforeAll(async () => {
    const appsyncAccess = accessControl({
      accountId: IAM.accountId,
      administrator: { accessKeyId: IAM.accessKeyId, secretAccessKey: IAM.secretAccessKey },
      roles: [
        { arn: READER_ARN, credentials: reader, statements: [{ actions: ['appsync:GraphQL'], resources: [`arn:aws:appsync:${IAM.region}:${IAM.accountId}:apis/${API_ID}/types/Query/fields/blob`] }] },
        { arn: `${READER_ARN}2`, credentials: publisher, statements: [{ actions: ['appsync:GraphQL'], resources: [`arn:aws:appsync:${IAM.region}:${IAM.accountId}:apis/${API_ID}/types/Mutation/fields/publishBlobResult`] }] },
      ],
    });
    t = await startTestServer({ iam: { ...IAM, access: appsyncAccess, apiId: API_ID } });
  });
  afterAll(() => t.server.close());

  const input = {
    id: 'b1', owner: 'u1', status: 'LABELLED', minConfidence: 55, maxLabels: 20,
    createdAt: '2025-01-01T00:00:00.000Z', updatedAt: '2025-01-01T00:00:00.000Z', uploadExpiresAt: '2025-01-01T00:15:00.000Z',
  };

  it('answers 401 UnauthorizedException "Permission denied" to a mutation the caller\'s policies do not allow', async () => {
    const res = await postSigned(t.server.graphqlUrl, PUBLISH_BLOB_RESULT, { input }, reader);

    expect(res.status).toBe(401);
    expect(res.json).toEqual({ errors: [{ errorType: 'UnauthorizedException', message: 'Permission denied' }] });
  });

  it('runs the mutation for a caller allowed appsync:GraphQL on its field, as its role', async () => {
    t.runtime.invocations.length = 0;

    const res = await postSigned(t.server.graphqlUrl, PUBLISH_BLOB_RESULT, { input }, publisher);

    expect(res.status).toBe(200);
    expect(res.json.errors).toBeUndefined();
    expect(t.runtime.invocations[0].identity).toMatchObject({ userArn: `${READER_ARN}2`, username: publisher.accessKeyId });
  });
});
