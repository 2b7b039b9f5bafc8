// The image-labels service: upload bucket, blobs table, GraphQL API, upload queue, and the functions and resolvers
// the two manifests declare (functions/manifest.ts, resolvers/manifest.ts), with exactly the permissions they name.
import { Aws, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as appsync from 'aws-cdk-lib/aws-appsync';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { BLOBS_BY_OWNER_INDEX } from '../domain/blob.ts';
import type { ResourceName } from '../domain/resources.ts';
import { consumerOf, FUNCTIONS, functionsGranted } from '../functions/manifest.ts';
import { DEFAULT_PROCESSING_LEASE_SECONDS, UPLOAD_QUEUE } from '../functions/queue/upload-queue.ts';
import { apiEnvironment, publisherEnvironment } from '../resolvers/lib/api-environment.ts';
import type { StackConfig } from './config.ts';
import { ApiFirewall } from './constructs/api-firewall.ts';
import { BlobsTable } from './constructs/blobs-table.ts';
import { Functions } from './constructs/functions.ts';
import { GraphqlApi } from './constructs/graphql-api.ts';
import { ManifestResolvers } from './constructs/manifest-resolvers.ts';
import { UploadBucket } from './constructs/upload-bucket.ts';
import { Users } from './constructs/users.ts';
import { UploadQueue } from './constructs/upload-queue.ts';
import { WebhookSecret } from './constructs/webhook-secret.ts';

export interface ImageLabelsStackProps extends StackProps {
  config: StackConfig;
}

export class ImageLabelsStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly uploadBucket: UploadBucket;
  readonly table: dynamodb.Table;
  readonly api: appsync.GraphqlApi;
  readonly functions: Functions;
  readonly webhookSecret: secretsmanager.Secret;
  readonly users: Users;
  readonly uploadQueue: UploadQueue;

  constructor(scope: Construct, id: string, props: ImageLabelsStackProps) {
    super(scope, id, props);
    const { config } = props;

    const uploadBucket = new UploadBucket(this, 'Uploads', {
      stage: config.stage,
      allowedOrigins: config.allowedOrigins,
      objectExpirationDays: config.objectExpirationDays,
      accessLogDays: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    const { bucket, keyPrefix } = uploadBucket;
    const { table } = new BlobsTable(this, 'Blobs', { removalPolicy: config.removalPolicy });
    const { secret: webhookSecret } = new WebhookSecret(this, 'WebhookSecret', {
      stage: config.stage,
      removalPolicy: config.removalPolicy,
    });
    const users = new Users(this, 'Users', { stage: config.stage, removalPolicy: config.removalPolicy });
    const graphql = new GraphqlApi(this, 'GraphQL', {
      name: `image-labels-${config.stage}`,
      userPool: users.userPool,
      environmentVariables: apiEnvironment({
        blobsTableName: table.tableName,
        uploadQuotaPerDay: config.uploadQuotaPerDay,
        // Callbacks must be https to public addresses in the cloud (the local cloud allows loopback).
        callbackAllowHttpLoopback: false,
      }),
      queryDepthLimit: config.queryDepthLimit,
      resolverCountLimit: config.resolverCountLimit,
      introspection: config.introspection,
      xray: config.xray,
      logRetention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });
    const { api } = graphql;
    if (config.waf) {
      new ApiFirewall(this, 'Firewall', { apiArn: api.arn, rateLimit: config.wafRateLimit, name: `image-labels-${config.stage}-api` });
    }

    const uploadQueue = new UploadQueue(this, 'UploadQueue', {
      bucket,
      keyPrefix,
      consumerTimeoutSeconds: FUNCTIONS[consumerOf('uploadQueue')].timeoutSeconds,
      rekognitionTps: config.rekognitionTps,
      processingLeaseSeconds: DEFAULT_PROCESSING_LEASE_SECONDS,
      removalPolicy: config.removalPolicy,
    });

    // What the manifests' symbolic resources are in this stack. Every ARN is a CloudFormation attribute (or
    // built on one), never a region or account known at synthesis.
    const resources: Record<ResourceName, string> = {
      uploadObjects: bucket.arnForObjects(`${keyPrefix}*`),
      blobsTable: table.tableArn,
      blobsByOwnerIndex: `${table.tableArn}/index/${BLOBS_BY_OWNER_INDEX}`,
      uploadQueue: uploadQueue.queue.queueArn,
      webhookSecret: webhookSecret.secretArn,
      'Mutation.publishBlobResult': `${api.arn}/types/Mutation/fields/publishBlobResult`,
      '*': '*',
    };
    // The settings the stack gives the functions (each gets those it declares in functions/manifest.ts).
    const functions = new Functions(this, 'Functions', {
      settings: {
        stage: config.stage,
        logLevel: config.logLevel,
        tableName: table.tableName,
        bucketName: bucket.bucketName,
        appsyncGraphqlUrl: api.graphqlUrl,
        webhookSecret: { kind: 'secretsManager', arn: webhookSecret.secretArn },
        // Callbacks must be https to public addresses in the cloud (the local cloud allows loopback).
        callbackAllowHttpLoopback: false,
        uploadQueueUrl: uploadQueue.queue.queueUrl,
        uploadQueueMaxReceiveCount: UPLOAD_QUEUE.maxReceiveCount,
        processingLeaseSeconds: DEFAULT_PROCESSING_LEASE_SECONDS,
      },
      resources,
      queues: {
        uploadQueue: { queue: uploadQueue.queue, batchSize: UPLOAD_QUEUE.batchSize, maxConcurrency: uploadQueue.maxConcurrency },
      },
      logRetention: config.logRetention,
      removalPolicy: config.removalPolicy,
      xray: config.xray,
    });

    // Only the roles of the functions granted publishBlobResult may call it, whatever wider grant IAM holds: the
    // resolver compares the caller with these (the functions exist only now, after the API).
    const publishers = functionsGranted('Mutation.publishBlobResult')
      .map((name) => `arn:${Aws.PARTITION}:sts::${Aws.ACCOUNT_ID}:assumed-role/${functions.get(name).role!.roleName}`);
    for (const [name, value] of Object.entries(publisherEnvironment(publishers))) {
      api.addEnvironmentVariable(name, value);
    }

    new ManifestResolvers(this, 'Resolvers', {
      api,
      tables: { blobs: table },
      resources,
      functionFor: (handler) => functions.get(handler),
    });

    this.bucket = bucket;
    this.uploadBucket = uploadBucket;
    this.table = table;
    this.api = api;
    this.functions = functions;
    this.webhookSecret = webhookSecret;
    this.users = users;
    this.uploadQueue = uploadQueue;

    new CfnOutput(this, 'GraphqlUrl', { value: api.graphqlUrl, description: 'GraphQL endpoint (HTTPS)' });
    new CfnOutput(this, 'RealtimeUrl', {
      value: graphql.realtimeUrl,
      description: 'Subscriptions endpoint (WebSocket)',
    });
    new CfnOutput(this, 'ApiId', { value: api.apiId });
    // What a client needs to sign in (scripts/amplify-outputs.ts writes amplify_outputs.json from these).
    new CfnOutput(this, 'Region', { value: Aws.REGION });
    new CfnOutput(this, 'UserPoolId', { value: users.userPool.userPoolId, description: 'Cognito user pool (sign-in with email)' });
    new CfnOutput(this, 'UserPoolClientId', { value: users.client.userPoolClientId, description: 'App client without secret (SRP, password, refresh)' });
    new CfnOutput(this, 'BucketName', { value: bucket.bucketName });
    new CfnOutput(this, 'TableName', { value: table.tableName });
    new CfnOutput(this, 'UploadQueueUrl', {
      value: uploadQueue.queue.queueUrl,
      description: `S3 upload events waiting for process-upload (at most ${uploadQueue.maxConcurrency} at a time)`,
    });
    new CfnOutput(this, 'UploadDeadLetterQueueUrl', {
      value: uploadQueue.deadLetterQueue.queueUrl,
      description: 'Upload events that could not be processed: redrive them once the cause is fixed',
    });
    new CfnOutput(this, 'WebhookSecretArn', {
      value: webhookSecret.secretArn,
      description:
        'Webhook signing key (base64, no whsec_ prefix): aws secretsmanager get-secret-value --secret-id <arn>',
    });
  }
}
