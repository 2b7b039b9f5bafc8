import { readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  buildSchema,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
  Kind,
  parse,
  type SelectionSetNode,
  validate,
} from 'graphql';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BlobRecord } from '../../../domain/blob.ts';
import { createAppSyncPublisher, PUBLISH_BLOB_RESULT } from '../../../functions/commons/appsync-publisher.ts';
import { PublishError } from '../../../functions/commons/errors.ts';

const CREDENTIALS = { accessKeyId: 'AKIDPUBLISHTEST', secretAccessKey: 'publish-test-secret' };
const REGION = 'eu-west-1';

const record: BlobRecord = {
  id: '01JPUBLISHTEST000000000000',
  entity: 'Blob',
  owner: 'owner-sub-1',
  status: 'REJECTED',
  contentType: 'image/jpeg',
  size: 400,
  minConfidence: 55,
  maxLabels: 20,
  error: { code: 'InvalidImageFormatException', message: 'Request has invalid image format', retryable: false },
  callback: { url: 'https://hooks.example.com/x', status: 'PENDING', attempts: 0, lastAttemptAt: null, lastError: null, deliveredAt: null },
  createdAt: '2026-03-01T11:59:00.000Z',
  updatedAt: '2026-03-01T12:00:00.000Z',
  uploadExpiresAt: '2026-03-01T12:14:00.000Z',
  processingStartedAt: '2026-03-01T11:59:30.000Z',
};

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('the publishBlobResult selection', () => {
  let schema: GraphQLSchema;

  beforeAll(async () => {
    const root = new URL('../../../', import.meta.url);
    const preamble = await readFile(new URL('local/appsync/aws-preamble.graphql', root), 'utf8');
    const sdl = await readFile(new URL('schema.graphql', root), 'utf8');
    schema = buildSchema(`${preamble}\n${sdl}`);
  });

  it('is a valid operation of schema.graphql', () => {
    expect(validate(schema, parse(PUBLISH_BLOB_RESULT))).toEqual([]);
  });

  it('selects every field of Blob, recursively, so that subscribers receive all of it (but the per-caller image URL)', () => {
    // Arrange
    const operation = parse(PUBLISH_BLOB_RESULT).definitions[0];
    if (operation.kind !== Kind.OPERATION_DEFINITION) {
      throw new Error('expected an operation');
    }
    const field = operation.selectionSet.selections[0];
    if (field.kind !== Kind.FIELD || field.selectionSet === undefined) {
      throw new Error('expected publishBlobResult { ... }');
    }

    // Act
    const missing = missingFields(schema.getType('Blob') as GraphQLObjectType, field.selectionSet, 'Blob');

    // Assert: Blob.imageUrl is resolved for each caller (its owner only), so a result published by IAM carries none.
    expect(missing).toEqual(['Blob.imageUrl']);
  });
});

function missingFields(type: GraphQLObjectType, selectionSet: SelectionSetNode, path: string): string[] {
  const selected = new Map(
    selectionSet.selections.flatMap((selection) => (selection.kind === Kind.FIELD ? [[selection.name.value, selection]] : [])),
  );
  return Object.values(type.getFields()).flatMap((field) => {
    const node = selected.get(field.name);
    if (node === undefined || node.kind !== Kind.FIELD) {
      return [`${path}.${field.name}`];
    }
    const named = getNamedType(field.type);
    return isObjectType(named) && node.selectionSet ? missingFields(named, node.selectionSet, `${path}.${field.name}`) : [];
  });
}

describe('createAppSyncPublisher', () => {
  let server: Server;
  let url: string;
  let received: Received[];
  let answer: { status: number; body: unknown };

  beforeEach(async () => {
    received = [];
    answer = { status: 200, body: {} };
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks).toString() });
        response.writeHead(answer.status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer.body));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('posts the mutation with the blob as input, signed with SigV4 for appsync', async () => {
    // Arrange
    const published = { id: record.id, status: 'REJECTED' };
    answer = { status: 200, body: { data: { publishBlobResult: published } } };
    const publisher = createAppSyncPublisher({ graphqlUrl: url, region: REGION, credentials: CREDENTIALS });

    // Act
    const result = await publisher.publish(record);

    // Assert
    expect(result).toEqual(published);
    const [request] = received;
    expect(request).toMatchObject({ method: 'POST', path: '/graphql' });
    const body = JSON.parse(request.body) as { query: string; variables: { input: Record<string, unknown> } };
    expect(body.query).toBe(PUBLISH_BLOB_RESULT);
    expect(body.variables.input).toEqual({
      id: record.id,
      owner: record.owner,
      status: 'REJECTED',
      contentType: 'image/jpeg',
      size: 400,
      minConfidence: 55,
      maxLabels: 20,
      labels: null,
      error: record.error,
      callback: record.callback,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      uploadExpiresAt: record.uploadExpiresAt,
      labelledAt: null,
    });
    expect(request.headers.authorization).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=AKIDPUBLISHTEST/\\d{8}/${REGION}/appsync/aws4_request, SignedHeaders=[a-z0-9;-]*host[a-z0-9;-]*, Signature=[0-9a-f]{64}$`),
    );
    expect(await expectedSignature(request, url)).toBe(request.headers.authorization);
  });

  it('surfaces GraphQL errors as a PublishError', async () => {
    answer = { status: 200, body: { data: { publishBlobResult: null }, errors: [{ message: 'Not Authorized', errorType: 'Unauthorized' }] } };
    const publisher = createAppSyncPublisher({ graphqlUrl: url, region: REGION, credentials: CREDENTIALS });

    const error = await publisher.publish(record).catch((thrown: unknown) => thrown);

    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({
      code: 'PublishFailed',
      status: 200,
      retryable: false,
      graphqlErrors: [{ message: 'Not Authorized', errorType: 'Unauthorized' }],
      message: 'publishBlobResult failed with HTTP 200: Unauthorized: Not Authorized',
    });
  });

  it('surfaces an HTTP failure as a retryable PublishError', async () => {
    answer = { status: 503, body: 'unavailable' };
    const publisher = createAppSyncPublisher({ graphqlUrl: url, region: REGION, credentials: CREDENTIALS });

    await expect(publisher.publish(record)).rejects.toMatchObject({ code: 'PublishFailed', status: 503, retryable: true });
  });
});

/** Signs the received request again, as AppSync would to check it, and returns the Authorization it should carry. */
async function expectedSignature(request: Received, url: string): Promise<string> {
  const target = new URL(url);
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const signedHeaderNames = /SignedHeaders=([^,]+)/.exec(String(request.headers.authorization))?.[1].split(';') ?? [];
  const headers = Object.fromEntries(signedHeaderNames.map((name) => [name, String(request.headers[name])]));
  const signer = new SignatureV4({ service: 'appsync', region: REGION, credentials: CREDENTIALS, sha256: Sha256 });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: target.protocol,
      hostname: target.hostname,
      port: Number(target.port),
      path: request.path,
      query: {},
      headers,
      body: request.body,
    },
    { signingDate },
  );
  return signed.headers.authorization;
}
