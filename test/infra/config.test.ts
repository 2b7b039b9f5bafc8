import { App, type CfnElement, RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { readStackConfig } from '../../infra/config.ts';
import { synthesize } from './synthesize.ts';

const configOf = (context: Record<string, unknown>) => readStackConfig(new App({ context }).node);

describe('the deployment settings', () => {
  it('default to the dev stage, any origin, 30-day objects, 500 uploads a day, AppSync limits, no WAF, no X-Ray, 30-day logs', () => {
    expect(configOf({})).toEqual({
      stage: 'dev',
      allowedOrigins: ['*'],
      objectExpirationDays: 30,
      uploadQuotaPerDay: 500,
      queryDepthLimit: 10,
      resolverCountLimit: 100,
      introspection: true,
      waf: false,
      wafRateLimit: 2000,
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
      uploadQuotaPerDay: '50',
      queryDepthLimit: '8',
      resolverCountLimit: '20',
      introspection: 'false',
      waf: 'true',
      wafRateLimit: '500',
      xray: 'true',
      logRetentionDays: '14',
      logLevel: 'debug',
      rekognitionTps: '5',
    });

    expect(config).toMatchObject({
      stage: 'test-2',
      allowedOrigins: ['https://app.example.com', 'http://localhost:5173'],
      objectExpirationDays: 7,
      uploadQuotaPerDay: 50,
      queryDepthLimit: 8,
      resolverCountLimit: 20,
      introspection: false,
      waf: true,
      wafRateLimit: 500,
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

  it('turn introspection off and the firewall on for the prod stage', () => {
    expect(configOf({ stage: 'prod' })).toMatchObject({ introspection: false, waf: true });
  });

  it('retain the data of the prod stage', () => {
    expect(configOf({ stage: 'prod' }).removalPolicy).toBe(RemovalPolicy.RETAIN);
  });

  it.each([
    [{ stage: 'Prod' }, /stage/],
    [{ stage: 'dev/1' }, /stage/],
    [{ objectExpirationDays: '0' }, /objectExpirationDays/],
    [{ uploadQuotaPerDay: '0' }, /uploadQuotaPerDay/],
    [{ uploadQuotaPerDay: 'many' }, /uploadQuotaPerDay/],
    [{ queryDepthLimit: '76' }, /queryDepthLimit/],
    [{ resolverCountLimit: '10001' }, /resolverCountLimit/],
    [{ waf: 'on' }, /waf/],
    [{ wafRateLimit: '5' }, /wafRateLimit/],
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

  it('puts a web ACL with a rate-based rule per IP address in front of the API', () => {
    const apiId = stack.getLogicalId(stack.api.node.defaultChild as CfnElement);
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [Match.objectLike({ Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } } })],
    });
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: { 'Fn::GetAtt': [apiId, 'Arn'] } });
  });

  it('answers no introspection query', () => {
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', { IntrospectionConfig: 'DISABLED' });
  });

  it('keeps the user pool when the stack is deleted', () => {
    template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ DeletionProtection: 'ACTIVE' }) });
  });
});
