// The image-labels service: upload bucket, blobs table, GraphQL API, functions, and who may do what.
import { Aws, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as appsync from 'aws-cdk-lib/aws-appsync';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { apiEnvironment } from '../resolvers/lib/api-environment.ts';
import { DEFAULT_PROCESSING_LEASE_SECONDS } from '../functions/commons/upload-queue.ts';
import { dataSources } from '../resolvers/manifest.ts';
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

/** The function fed by the upload queue; the others are Lambda data sources named by the manifest. */
export const PROCESS_UPLOAD = 'process-upload';
/** The IAM-only mutation through which process-upload feeds labelsReady. */
export const PUBLISH_MUTATION = 'publishBlobResult';

export class ImageLabelsStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly table: dynamodb.Table;
  readonly api: appsync.GraphqlApi;
  readonly functions: Functions;
  readonly webhookSecret: secretsmanager.Secret;
  readonly users: Users;
  readonly uploadQueue: UploadQueue;

  constructor(scope: Construct, id: string, props: ImageLabelsStackProps) {
    super(scope, id, props);
    const { config } = props;

    const { bucket, keyPrefix } = new UploadBucket(this, 'Uploads', {
      stage: config.stage,
      allowedOrigins: config.allowedOrigins,
      objectExpirationDays: config.objectExpirationDays,
      removalPolicy: config.removalPolicy,
    });
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

    const lambdaHandlers = Object.values(dataSources).flatMap((spec) => (spec.kind === 'LAMBDA' ? [spec.handler] : []));
    const functions = new Functions(this, 'Functions', {
      handlers: [...lambdaHandlers, PROCESS_UPLOAD],
      environment: { STAGE: config.stage, LOG_LEVEL: config.logLevel },
      logRetention: config.logRetention,
      removalPolicy: config.removalPolicy,
      xray: config.xray,
    });

    new ManifestResolvers(this, 'Resolvers', {
      api,
      tables: { blobs: table },
      functionFor: (handler) => functions.get(handler),
    });

    // Each function gets the settings it reads (functions/commons/config.ts) and the permissions it
    // uses, no more; objects are those of this stage only.
    const stageObjects = `${keyPrefix}*`;

    // presign-upload signs PUT URLs: the URL works only if the signer may put the object itself.
    const presignUpload = functions.get('presign-upload');
    presignUpload.addEnvironment('BUCKET_NAME', bucket.bucketName);
    bucket.grantPut(presignUpload, stageObjects);

    // presign-image signs GET URLs of uploaded images (Blob.imageUrl): the URL works only if the signer may read.
    const presignImage = functions.get('presign-image');
    presignImage.addEnvironment('BUCKET_NAME', bucket.bucketName);
    presignImage.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(stageObjects)] }),
    );

    const deleteObject = functions.get('delete-object');
    deleteObject.addEnvironment('BUCKET_NAME', bucket.bucketName);
    bucket.grantDelete(deleteObject, stageObjects);

    // deliver-callback reads the blob, signs the webhook and records the delivery.
    const deliverCallback = functions.get('deliver-callback');
    deliverCallback.addEnvironment('TABLE_NAME', table.tableName);
    deliverCallback.addEnvironment('WEBHOOK_SECRET_ARN', webhookSecret.secretArn);
    table.grantReadWriteData(deliverCallback);
    webhookSecret.grantRead(deliverCallback);

    // announce-deletion tells the subscribers and the webhook receiver of a blob deleted before its final state.
    const announceDeletion = functions.get('announce-deletion');
    announceDeletion.addEnvironment('APPSYNC_GRAPHQL_URL', api.graphqlUrl);
    announceDeletion.addEnvironment('WEBHOOK_SECRET_ARN', webhookSecret.secretArn);
    api.grantMutation(announceDeletion, PUBLISH_MUTATION);
    webhookSecret.grantRead(announceDeletion);

    // process-upload runs on every upload of this stage: checks and labels the image, moves the
    // record through its states, publishes the result to subscribers, then delivers the callback.
    const processUpload = functions.get(PROCESS_UPLOAD);
    processUpload.addEnvironment('TABLE_NAME', table.tableName);
    processUpload.addEnvironment('BUCKET_NAME', bucket.bucketName);
    processUpload.addEnvironment('APPSYNC_GRAPHQL_URL', api.graphqlUrl);
    processUpload.addEnvironment('WEBHOOK_SECRET_ARN', webhookSecret.secretArn);
    const uploadQueue = new UploadQueue(this, 'UploadQueue', {
      bucket,
      keyPrefix,
      processUpload,
      rekognitionTps: config.rekognitionTps,
      processingLeaseSeconds: DEFAULT_PROCESSING_LEASE_SECONDS,
      removalPolicy: config.removalPolicy,
    });
    processUpload.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects(stageObjects)] }),
    );
    // DetectLabels has no resource-level permissions: `*` is the only resource IAM accepts for it.
    // Rekognition reads the image with the caller's own s3:GetObject, granted above.
    processUpload.addToRolePolicy(new iam.PolicyStatement({ actions: ['rekognition:DetectLabels'], resources: ['*'] }));
    table.grantReadWriteData(processUpload);
    api.grantMutation(processUpload, PUBLISH_MUTATION);
    webhookSecret.grantRead(processUpload);

    this.bucket = bucket;
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
