import { App, type CfnElement, RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { readStackConfig } from '../../infra/config.ts';
import { synthesize } from './synthesize.ts';

const configOf = (context: Record<string, unknown>) => readStackConfig(new App({ context }).node);

describe('the deployment settings', () => {
  it('default to the dev stage, any origin, 30-day objects, a 365-day key, no X-Ray, 30-day logs', () => {
    expect(configOf({})).toEqual({
      stage: 'dev',
      allowedOrigins: ['*'],
      objectExpirationDays: 30,
      apiKeyExpirationDays: 365,
      xray: false,
      logRetention: RetentionDays.ONE_MONTH,
      logLevel: 'INFO',
      removalPolicy: RemovalPolicy.DESTROY,
      rekognitionTps: 50,
    });
  });

  it('read command-line strings: a comma-separated origin list, numbers and flags', () => {
    const config = configOf({
      stage: 'test-2',
      allowedOrigins: 'https://app.example.com, http://localhost:5173',
      objectExpirationDays: '7',
      apiKeyExpirationDays: '30',
      xray: 'true',
      logRetentionDays: '14',
      logLevel: 'debug',
      rekognitionTps: '5',
    });

    expect(config).toMatchObject({
      stage: 'test-2',
      allowedOrigins: ['https://app.example.com', 'http://localhost:5173'],
      objectExpirationDays: 7,
      apiKeyExpirationDays: 30,
      xray: true,
      logRetention: RetentionDays.TWO_WEEKS,
      logLevel: 'DEBUG',
      rekognitionTps: 5,
    });
  });

  it('read JSON values from cdk.json', () => {
    expect(configOf({ allowedOrigins: ['https://a.example'], objectExpirationDays: 3, xray: false })).toMatchObject({
      allowedOrigins: ['https://a.example'],
      objectExpirationDays: 3,
      xray: false,
    });
  });

  it('round a log retention up to a period CloudWatch Logs accepts', () => {
    expect(configOf({ logRetentionDays: '10' }).logRetention).toBe(RetentionDays.TWO_WEEKS);
  });

  it('retain the data of the prod stage', () => {
    expect(configOf({ stage: 'prod' }).removalPolicy).toBe(RemovalPolicy.RETAIN);
  });

  it.each([
    [{ stage: 'Prod' }, /stage/],
    [{ stage: 'dev/1' }, /stage/],
    [{ objectExpirationDays: '0' }, /objectExpirationDays/],
    [{ apiKeyExpirationDays: '366' }, /apiKeyExpirationDays/],
    [{ apiKeyExpirationDays: 'soon' }, /apiKeyExpirationDays/],
    [{ xray: 'yes' }, /xray/],
    [{ logLevel: 'TRACE' }, /logLevel/],
    [{ rekognitionTps: '0' }, /rekognitionTps/],
  ])('refuse %j with a message that names the setting', (context, message) => {
    expect(() => configOf(context)).toThrow(message);
  });
});

describe('a prod stack with its own settings', () => {
  const { stack, template } = synthesize({
    context: {
      stage: 'prod',
      allowedOrigins: 'https://app.example.com',
      objectExpirationDays: '7',
      apiKeyExpirationDays: '90',
      xray: 'true',
      logRetentionDays: '90',
    },
  });

  it('keeps the bucket, the table, the signing key and the logs when the stack is deleted', () => {
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
    template.allResources('AWS::Logs::LogGroup', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ RetentionInDays: 90 }),
    });
  });

  it('uses the prod prefix for objects, their expiry and the trigger', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ Prefix: 'prod/', ExpirationInDays: 7 })]) },
    });
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        QueueConfigurations: [
          Match.objectLike({ Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'prod/' }] } } }),
        ],
      },
    });
  });

  it('allows browser uploads from the configured origins only', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      CorsConfiguration: { CorsRules: [Match.objectLike({ AllowedOrigins: ['https://app.example.com'] })] },
    });
  });

  it('traces the API and the functions with X-Ray', () => {
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', { XrayEnabled: true, Name: 'image-labels-prod' });
    for (const fn of stack.functions.all) {
      const properties = template.toJSON().Resources[stack.getLogicalId(fn.node.defaultChild as CfnElement)].Properties;
      expect(properties.TracingConfig).toEqual({ Mode: 'Active' });
    }
  });

  it('issues an API key that expires in 90 days', () => {
    const key = Object.values(template.findResources('AWS::AppSync::ApiKey'))[0] as { Properties: { Expires: number } };
    const days = (key.Properties.Expires - Date.now() / 1000) / 86_400;

    expect(days).toBeGreaterThan(89);
    expect(days).toBeLessThanOrEqual(90);
  });
});
