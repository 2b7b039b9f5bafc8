import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  QueueDoesNotExist,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID, LOCAL_CREDENTIALS, LOCAL_REGION, localCredentials } from '../../../local/config.ts';
import { silentLogger } from '../../../local/log.ts';
import { LocalQueue } from '../../../local/sqs/queue.ts';
import { type LocalSqs, startSqsServer } from '../../../local/sqs/server.ts';

describe('the local SQS endpoint, called by the unmodified AWS SDK', () => {
  let dir: string;
  let sqs: LocalSqs;
  let client: SQSClient;
  let queueUrl: string;

  const sqsClient = (credentials = localCredentials()) =>
    new SQSClient({ endpoint: sqs.endpoint, region: LOCAL_REGION, credentials, maxAttempts: 1 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'local-sqs-'));
    const queue = await LocalQueue.open({
      name: 'uploads',
      directory: join(dir, 'uploads'),
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      visibilityTimeoutSeconds: 30,
    });
    sqs = await startSqsServer({
      host: '127.0.0.1',
      port: 0,
      region: LOCAL_REGION,
      accountId: LOCAL_ACCOUNT_ID,
      credentials: LOCAL_CREDENTIALS,
      queues: [queue],
      logger: silentLogger,
    });
    client = sqsClient();
    queueUrl = (await client.send(new GetQueueUrlCommand({ QueueName: 'uploads' }))).QueueUrl!;
  });

  afterAll(async () => {
    client.destroy();
    await sqs.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a request body over 1 MiB with 413 RequestEntityTooLarge, storing nothing', async () => {
    const response = await fetch(sqs.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' },
      body: JSON.stringify({ QueueUrl: queueUrl, MessageBody: 'x'.repeat(1024 * 1024) }),
    });

    expect(response.status).toBe(413);
    expect(await response.text()).toContain('RequestEntityTooLarge');
    const attributes = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(attributes.Attributes?.ApproximateNumberOfMessages).toBe('0');
  });

  it('sends, receives with the receive count, hands back, and deletes a message (the SDK checks the MD5s)', async () => {
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: '{"Records":[]}' }));

    const received = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
    const [message] = received.Messages ?? [];
    await client.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }));
    const again = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
    await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: again.Messages![0].ReceiptHandle }));
    const attributes = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));

    expect(message).toMatchObject({ Body: '{"Records":[]}', Attributes: expect.objectContaining({ ApproximateReceiveCount: '1' }) });
    expect(again.Messages).toEqual([expect.objectContaining({ MessageId: message.MessageId, Attributes: { ApproximateReceiveCount: '2' } })]);
    expect(attributes.Attributes).toMatchObject({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0', VisibilityTimeout: '30' });
  });

  it('waits for a message with long polling', async () => {
    const waiting = client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 5 }));
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'late' }));

    const { Messages } = await waiting;

    expect(Messages?.map((message) => message.Body)).toEqual(['late']);
    await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: Messages![0].ReceiptHandle }));
  });

  it('answers SQS’s typed errors', async () => {
    const missing = await client.send(new GetQueueUrlCommand({ QueueName: 'nope' })).catch((error: unknown) => error);
    const badHandle = await client
      .send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: 'garbage', VisibilityTimeout: 5 }))
      .catch((error: unknown) => error);

    expect(missing).toBeInstanceOf(QueueDoesNotExist);
    expect(badHandle).toBeInstanceOf(ReceiptHandleIsInvalid);
  });

  it('refuses a request signed with another secret, or not signed', async () => {
    const forger = sqsClient({ accessKeyId: LOCAL_CREDENTIALS.accessKeyId, secretAccessKey: 'not-the-secret' });
    const forged = await forger.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'forged' })).catch((error: unknown) => error);
    forger.destroy();
    const unsigned = await fetch(sqs.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessage' },
      body: JSON.stringify({ QueueUrl: queueUrl, MessageBody: 'unsigned' }),
    });

    expect(forged).toMatchObject({ name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('x-amzn-query-error')).toBe('MissingAuthenticationToken;Sender');
    const attributes = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
    expect(attributes.Attributes).toEqual({ ApproximateNumberOfMessages: '0' });
  });
});
