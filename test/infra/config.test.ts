import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, type CfnElement, RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it } from 'vitest';
import { readStackConfig } from '../../infra/config.ts';
import { repoRoot } from '../../infra/paths.ts';
import { synthesize } from './synthesize.ts';

const configOf = (context: Record<string, unknown>) => readStackConfig(new App({ context }).node);

describe('the deployment settings', () => {
  it('default to the dev stage keeping its data, any origin, 30-day objects, 500 uploads a day, AppSync limits, WAF, no introspection, no X-Ray, 30-day logs', () => {
    expect(configOf({})).toEqual({
      stage: 'dev',
      disposable: false,
      allowedOrigins: ['*'],
      objectExpirationDays: 30,
      uploadQuotaPerDay: 500,
      queryDepthLimit: 10,
      resolverCountLimit: 100,
      introspection: false,
      waf: true,
      wafRateLimit: 2000,
      xray: false,
      logRetention: RetentionDays.ONE_MONTH,
      logLevel: 'INFO',
      removalPolicy: RemovalPolicy.RETAIN,
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

  it.each(['prod', 'production', 'staging', 'dev', 'test'])('keep the data of the stage %s, whose name says nothing about it', (stage) => {
    expect(configOf({ stage })).toMatchObject({ disposable: false, removalPolicy: RemovalPolicy.RETAIN, introspection: false, waf: true });
  });

  it('let data go with a stage declared disposable, which answers introspection and has no firewall unless told', () => {
    expect(configOf({ stage: 'prod', disposable: 'true' })).toMatchObject({ removalPolicy: RemovalPolicy.DESTROY, introspection: true, waf: false });
    expect(configOf({ disposable: true, waf: 'true', introspection: 'false' })).toMatchObject({ waf: true, introspection: false });
  });

  it('accept origins as browsers send them, with S3\'s wildcard', () => {
    expect(configOf({ allowedOrigins: 'https://app.example.com:8443,http://localhost:5173,https://*.example.com' }).allowedOrigins).toEqual([
      'https://app.example.com:8443',
      'http://localhost:5173',
      'https://*.example.com',
    ]);
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
    [{ disposable: 'yes' }, /disposable/],
    [{ allowedOrigins: 'foo' }, /allowedOrigins/],
    [{ allowedOrigins: 'https://app.example.com/upload' }, /allowedOrigins/],
    [{ allowedOrigins: 'ftp://files.example.com' }, /allowedOrigins/],
    [{ stge: 'prod' }, /"stge" is not a setting/],
  ])('refuse %j with one line that names the setting', (context, message) => {
    expect(() => configOf(context)).toThrow(message);
    expect(() => configOf(context)).toThrow(/^context "[A-Za-z]+" [^\n]+$/);
  });
});

describe('cdk synth with a setting the stack cannot use', () => {
  it.each([
    [{ allowedOrigins: 'foo' }, 'allowedOrigins'],
    [{ stage: 'Prod!' }, 'stage'],
  ])('stops with one line naming the setting, and no stack trace, for %j', async (context, setting) => {
    // Arrange: the CLI hands the app its context in CDK_CONTEXT_JSON.
    const outdir = await mkdtemp(join(tmpdir(), 'cdk-out-'));

    // Act
    const run = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: repoRoot,
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify(context), CDK_OUTDIR: outdir },
    }).catch((error: { code: number; stdout: string; stderr: string }) => error);
    await rm(outdir, { recursive: true, force: true });

    // Assert
    expect(run).toMatchObject({ code: 1, stdout: '' });
    expect((run as { stderr: string }).stderr).toMatch(new RegExp(`^context "${setting}" [^\\n]+\\n$`));
  });
});

describe('a stack with its own settings', () => {
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
