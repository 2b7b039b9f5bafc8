// The bucket that receives uploads through presigned PUT URLs, one object per blob at `{stage}/{id}`, and the bucket
// of its server access logs (who read, wrote or deleted which object), kept as long as the other logs.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';

export interface UploadBucketProps {
  stage: string;
  /** Origins allowed to PUT from a browser. */
  allowedOrigins: string[];
  /** Objects under `{stage}/` are deleted after this many days. */
  objectExpirationDays: number;
  /** Access logs are deleted after this many days. */
  accessLogDays: number;
  removalPolicy: RemovalPolicy;
}

export class UploadBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly accessLogs: s3.Bucket;
  /** Prefix of every object key the service writes: `{stage}/`. */
  readonly keyPrefix: string;

  constructor(scope: Construct, id: string, props: UploadBucketProps) {
    super(scope, id);
    this.keyPrefix = `${props.stage}/`;
    const destroy = props.removalPolicy === RemovalPolicy.DESTROY;
    const privateBucket = {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: destroy,
    };

    // S3 delivers the logs with a bucket policy (cdk.json: @aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy).
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...privateBucket,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(props.accessLogDays) }],
    });
    acknowledge(this.accessLogs, 'AwsSolutions-S1', 'The destination of the uploads bucket access logs: logging its own access would log each log delivery');

    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...privateBucket,
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'uploads/',
      cors: [
        {
          // Browsers upload straight to S3 with the presigned URL; the signed headers
          // (Content-Type, and Content-Length when declared) must be allowed.
          allowedMethods: [s3.HttpMethods.PUT],
          allowedOrigins: props.allowedOrigins,
          allowedHeaders: ['*'],
          exposedHeaders: ['ETag'],
          maxAge: 3600,
        },
      ],
      lifecycleRules: [
        // Presigned uploads are single PUTs; this only cleans up after other clients.
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        // Labels live in the table: the image itself is only needed while it is processed.
        { id: 'expire-uploads', prefix: this.keyPrefix, expiration: Duration.days(props.objectExpirationDays) },
      ],
    });
  }
}
