// AWS SDK v3 clients. Handlers create the ones they use once, at module load, and pass them down.
// Endpoints, region and credentials come from the SDK's standard environment (AWS_ENDPOINT_URL_S3,
// AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_REKOGNITION, AWS_ENDPOINT_URL_SQS, AWS_REGION, ...): the local cloud
// differs by configuration only. One factory per client, so that a bundle holds only the clients its handler uses.
// (The DynamoDB DocumentClient wrapper is made in blob-store.ts, its only user: @aws-sdk/lib-dynamodb does not
// declare itself free of side effects, so importing it here would put DynamoDB in every bundle.)
//
// `maxSockets` bounds the connections of one client. The SDK's default, 50, never binds in Lambda (one invocation
// per instance), but a process that runs many invocations at once (the local cloud) shares each client between
// them: there the pool would silently cap their concurrency, so it is a setting (SDK_MAX_SOCKETS).
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';

export interface ClientOptions {
  maxSockets?: number;
}

function requestHandler(options: ClientOptions) {
  return options.maxSockets === undefined
    ? undefined
    : { httpAgent: { maxSockets: options.maxSockets }, httpsAgent: { maxSockets: options.maxSockets } };
}

export function createS3Client(options: ClientOptions & { forcePathStyle: boolean }): S3Client {
  return new S3Client({
    forcePathStyle: options.forcePathStyle,
    // Since 3.729 the SDK adds CRC checksums to every request, presigned URLs included; plain `curl`
    // uploads (and the local S3) would then fail. Checksums only where S3 requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: requestHandler(options),
  });
}

/** Wrap it with blob-store.ts `documentClient()` for the blob table. */
export function createDynamoDBClient(options: ClientOptions = {}): DynamoDBClient {
  return new DynamoDBClient({ requestHandler: requestHandler(options) });
}

/**
 * Adaptive retry: on throttling the client also slows its own sending rate (a token bucket), instead of only
 * spacing its retries. Every upload an instance processes shares the client, so they back off together. The queue's
 * backoff takes over when the SDK's attempts are spent.
 */
export function createRekognitionClient(options: ClientOptions = {}): RekognitionClient {
  return new RekognitionClient({ retryMode: 'adaptive', requestHandler: requestHandler(options) });
}

export function createSQSClient(options: ClientOptions = {}): SQSClient {
  return new SQSClient({ requestHandler: requestHandler(options) });
}

export function createSecretsManagerClient(): SecretsManagerClient {
  return new SecretsManagerClient({});
}
