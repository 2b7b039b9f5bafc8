// AWS SDK v3 clients. Handlers create the ones they use once, at module load, and pass them down.
// Endpoints, region and credentials come from the SDK's standard environment (AWS_ENDPOINT_URL_S3,
// AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_REKOGNITION, AWS_REGION, ...): the local cloud differs by configuration only.
// One factory per client, so that a bundle holds only the clients its handler uses. (The DynamoDB
// DocumentClient wrapper is made in blob-store.ts, its only user: @aws-sdk/lib-dynamodb does not declare
// itself free of side effects, so importing it here would put DynamoDB in every bundle.)
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RekognitionClient } from '@aws-sdk/client-rekognition';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

export function createS3Client(options: { forcePathStyle: boolean }): S3Client {
  return new S3Client({
    forcePathStyle: options.forcePathStyle,
    // Since 3.729 the SDK adds CRC checksums to every request, presigned URLs included; plain `curl`
    // uploads (and the local S3) would then fail. Checksums only where S3 requires them.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

/** Wrap it with blob-store.ts `documentClient()` for the blob table. */
export function createDynamoDBClient(): DynamoDBClient {
  return new DynamoDBClient({});
}

export function createRekognitionClient(): RekognitionClient {
  return new RekognitionClient({});
}

export function createSecretsManagerClient(): SecretsManagerClient {
  return new SecretsManagerClient({});
}
