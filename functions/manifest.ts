// The Lambda functions, declared once as plain data: what invokes each, its timeout and memory, the settings it reads
// and what it may do on which resource. Read by the CDK stack (functions, environment, IAM statements, event source
// mapping), by the local cloud (which starts the handlers from it and refuses what they were not granted, as IAM
// would), by the function configuration (loadConfig reads exactly the declared settings) and by the infra tests.
// `npm run build` checks it against functions/*.ts, resolvers/manifest.ts and what each handler reads.
// Resources are symbolic (domain/resources.ts): each cloud maps a name to an ARN of its own.
import type { Permission, ResourceName } from '../domain/resources.ts';
import type { SettingName } from './commons/config.ts';

export type Trigger =
  /** A Lambda data source of the API: resolvers/manifest.ts names the data source and the resolver steps using it. */
  | { kind: 'appsync' }
  /** An SQS event source mapping (batch size and concurrency: functions/queue/upload-queue.ts). */
  | { kind: 'queue'; queue: 'uploadQueue' };

export interface FunctionSpec {
  description: string;
  trigger: Trigger;
  timeoutSeconds: number;
  memoryMb: number;
  /** Every setting the handler reads (functions/commons/config.ts); the clouds set these and no others. */
  settings: readonly SettingName[];
  /** Exactly what the function's role allows, besides writing to its own log group. */
  permissions: readonly Permission[];
}

/** What an SQS event source mapping does with the function's role: it cannot be created without these. */
export const QUEUE_TRIGGER_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'] as const;

/** What every function reads: the stage (object keys, names) and the level of its logs. */
const COMMON_SETTINGS = ['stage', 'logLevel'] as const;
/** What a function that touches uploaded objects reads. */
const OBJECT_SETTINGS = [...COMMON_SETTINGS, 'bucketName', 's3ForcePathStyle'] as const;
/** A data source of one S3 call on one uploaded object: quick and small. */
const OBJECT_DATA_SOURCE = { trigger: { kind: 'appsync' }, timeoutSeconds: 10, memoryMb: 256, settings: OBJECT_SETTINGS } as const;
/** What a function that sends webhooks reads. */
const CALLBACK_SETTINGS = ['webhookSecret', 'callbackAllowHttpLoopback', 'callbackMaxAttempts', 'callbackTimeoutMs'] as const;

/** Keys are the handler files: functions/<name>.ts, which exports `handler`. */
export const FUNCTIONS = {
  'presign-upload': {
    ...OBJECT_DATA_SOURCE,
    description: 'Signs the S3 PUT URL of a new blob',
    // A presigned URL works only while its signer may do what it signs.
    permissions: [{ actions: ['s3:PutObject'], resource: 'uploadObjects' }],
  },
  'presign-image': {
    ...OBJECT_DATA_SOURCE,
    description: 'Signs the short-lived S3 GET URL of a blob image for its owner',
    // The URL works only while its signer may read the object.
    permissions: [{ actions: ['s3:GetObject'], resource: 'uploadObjects' }],
  },
  'delete-object': {
    ...OBJECT_DATA_SOURCE,
    description: 'Deletes the uploaded object of a blob',
    permissions: [{ actions: ['s3:DeleteObject'], resource: 'uploadObjects' }],
  },
  // AppSync waits at most 30 s for a data source; the retries with backoff fit in it.
  'deliver-callback': {
    description: 'Sends the result webhook of a blob again',
    trigger: { kind: 'appsync' },
    timeoutSeconds: 30,
    memoryMb: 256,
    settings: [...COMMON_SETTINGS, 'tableName', ...CALLBACK_SETTINGS],
    permissions: [
      { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resource: 'blobsTable' },
      { actions: ['secretsmanager:GetSecretValue'], resource: 'webhookSecret' },
    ],
  },
  // Invoked in the background by deleteBlob: one publish, then a webhook with its retries.
  'announce-deletion': {
    description: 'Tells subscribers and the webhook receiver that a blob was deleted before its result',
    trigger: { kind: 'appsync' },
    timeoutSeconds: 30,
    memoryMb: 256,
    settings: [...COMMON_SETTINGS, 'appsyncGraphqlUrl', 'region', ...CALLBACK_SETTINGS],
    permissions: [
      { actions: ['appsync:GraphQL'], resource: 'Mutation.publishBlobResult' },
      { actions: ['secretsmanager:GetSecretValue'], resource: 'webhookSecret' },
    ],
  },
  // DetectLabels, the publish mutation and the first callback delivery, on every upload.
  'process-upload': {
    description: 'Labels an uploaded image and publishes the result',
    trigger: { kind: 'queue', queue: 'uploadQueue' },
    timeoutSeconds: 60,
    memoryMb: 512,
    settings: [
      ...OBJECT_SETTINGS, 'tableName', 'appsyncGraphqlUrl', 'region', 'uploadQueueUrl', 'uploadQueueMaxReceiveCount',
      'processingLeaseSeconds', 'sdkMaxSockets', ...CALLBACK_SETTINGS,
    ],
    permissions: [
      // The event source mapping receives and deletes with the function's role; the handler hands messages back.
      { actions: [...QUEUE_TRIGGER_ACTIONS, 'sqs:ChangeMessageVisibility'], resource: 'uploadQueue' },
      // HeadObject and ranged GETs need s3:GetObject; a rejected object, or one whose blob was deleted, is removed.
      { actions: ['s3:GetObject', 's3:DeleteObject'], resource: 'uploadObjects' },
      // DetectLabels has no resource-level permissions; Rekognition reads the image with the caller's s3:GetObject.
      { actions: ['rekognition:DetectLabels'], resource: '*' },
      { actions: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], resource: 'blobsTable' },
      { actions: ['appsync:GraphQL'], resource: 'Mutation.publishBlobResult' },
      { actions: ['secretsmanager:GetSecretValue'], resource: 'webhookSecret' },
    ],
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof FUNCTIONS;

export const FUNCTION_NAMES = Object.keys(FUNCTIONS) as FunctionName[];

/** The function an SQS queue triggers (one per queue). */
export function consumerOf(queue: 'uploadQueue'): FunctionName {
  const consumers = FUNCTION_NAMES.filter((name) => {
    const trigger: Trigger = FUNCTIONS[name].trigger;
    return trigger.kind === 'queue' && trigger.queue === queue;
  });
  if (consumers.length !== 1) {
    throw new Error(`functions/manifest.ts must name one consumer of ${queue}, not ${consumers.length}`);
  }
  return consumers[0];
}

/** The functions granted something on `resource` (the API lets only the publishers' roles call publishBlobResult). */
export function functionsGranted(resource: ResourceName, functions: Readonly<Record<string, FunctionSpec>> = FUNCTIONS): string[] {
  return Object.keys(functions).filter((name) => functions[name]!.permissions.some((permission) => permission.resource === resource));
}
