// The bucket that receives uploads through presigned PUT URLs, one object per blob at `{stage}/{id}`.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface UploadBucketProps {
  stage: string;
  /** Origins allowed to PUT from a browser. */
  allowedOrigins: string[];
  /** Objects under `{stage}/` are deleted after this many days. */
  objectExpirationDays: number;
  removalPolicy: RemovalPolicy;
}

export class UploadBucket extends Construct {
  readonly bucket: s3.Bucket;
  /** Prefix of every object key the service writes: `{stage}/`. */
  readonly keyPrefix: string;

  constructor(scope: Construct, id: string, props: UploadBucketProps) {
    super(scope, id);
    this.keyPrefix = `${props.stage}/`;
    const destroy = props.removalPolicy === RemovalPolicy.DESTROY;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
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
      removalPolicy: props.removalPolicy,
      autoDeleteObjects: destroy,
    });
  }
}
