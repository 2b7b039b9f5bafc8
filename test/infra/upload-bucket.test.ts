import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { synthesize } from './synthesize.ts';

const { stack, template } = synthesize();
const bucket = stack.getLogicalId(stack.bucket.node.defaultChild as CfnElement);

describe('the upload bucket', () => {
  it('blocks public access and encrypts with S3-managed keys', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
  });

  it('refuses requests that are not over TLS', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Principal: { AWS: '*' },
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('lets browsers of any origin PUT with the signed headers', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: {
        CorsRules: [Match.objectLike({ AllowedMethods: ['PUT'], AllowedOrigins: ['*'], AllowedHeaders: ['*'] })],
      },
    });
  });

  it('aborts incomplete multipart uploads and expires the stage objects after 30 days', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
          Match.objectLike({ Prefix: 'dev/', ExpirationInDays: 30, Status: 'Enabled' }),
        ]),
      },
    });
  });

  it('is kept, with its access logs, unless the stage is declared disposable', () => {
    template.allResources('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  it('is emptied and deleted, with its access logs, with a disposable stack', () => {
    const { template: disposable } = synthesize({ context: { disposable: 'true' } });

    disposable.allResources('AWS::S3::Bucket', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    disposable.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
  });

  it('logs every request to a private bucket of its own, kept as long as the other logs', () => {
    const logs = stack.getLogicalId(stack.uploadBucket.accessLogs.node.defaultChild as CfnElement);

    template.hasResourceProperties('AWS::S3::Bucket', {
      LoggingConfiguration: { DestinationBucketName: { Ref: logs }, LogFilePrefix: 'uploads/' },
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: Match.anyValue(),
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [{ Id: 'expire-access-logs', ExpirationInDays: 30, Status: 'Enabled' }] },
    });
  });

  it('sends every object created under the stage prefix to the upload queue, not straight to a function', () => {
    const queue = stack.getLogicalId(stack.uploadQueue.queue.node.defaultChild as CfnElement);

    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: bucket },
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'dev/' }] } },
            QueueArn: { 'Fn::GetAtt': [queue, 'Arn'] },
          },
        ],
      },
    });
    template.resourceCountIs('AWS::Lambda::Permission', 0);
  });

  it('outputs its name', () => {
    template.hasOutput('BucketName', { Value: { Ref: bucket } });
    expect(stack.bucket.bucketName).toBeDefined();
  });
});
