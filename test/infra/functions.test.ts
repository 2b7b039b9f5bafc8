import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { UNUSED_CREDENTIAL_PROVIDERS } from '../../infra/constructs/functions.ts';
import { dataSources } from '../../resolvers/manifest.ts';
import { synthesize } from './synthesize.ts';

// The one synthesis that runs esbuild for every function, as `cdk synth` does.
const { app, stack, template } = synthesize({ bundle: true });

const handlers = [
  ...new Set(Object.values(dataSources).flatMap((spec) => (spec.kind === 'LAMBDA' ? [spec.handler] : []))),
  'process-upload',
];
const logicalId = (element: { node: { defaultChild?: unknown } }): string =>
  stack.getLogicalId(element.node.defaultChild as CfnElement);

interface FunctionProperties {
  Runtime: string;
  Architectures: string[];
  Handler: string;
  Timeout: number;
  MemorySize: number;
  Code: { S3Key: string };
  Environment: { Variables: Record<string, unknown> };
  LoggingConfig: { LogGroup: unknown };
}

function propertiesOf(handler: string): FunctionProperties {
  return template.toJSON().Resources[logicalId(stack.functions.get(handler))].Properties as FunctionProperties;
}

function bundleDir(handler: string): string {
  const hash = propertiesOf(handler).Code.S3Key.replace(/\.zip$/, '');
  return path.join(app.outdir, `asset.${hash}`);
}

describe('the Lambda functions', () => {
  it('are one per handler file the manifest names, plus the processing function', () => {
    expect(stack.functions.handlers.sort()).toEqual([...handlers].sort());
  });

  it.each(handlers)('runs %s on Node.js 22 on arm64', (handler) => {
    expect(propertiesOf(handler)).toMatchObject({
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
    });
  });

  it.each([
    ['process-upload', 60, 512],
    ['presign-upload', 10, 256],
    ['presign-image', 10, 256],
    ['delete-object', 10, 256],
    ['deliver-callback', 30, 256],
  ])('gives %s a timeout of %i s and %i MB', (handler, timeout, memory) => {
    expect(propertiesOf(handler)).toMatchObject({ Timeout: timeout, MemorySize: memory });
  });

  it.each(handlers)('gives %s the stage, the log level and source maps', (handler) => {
    expect(propertiesOf(handler).Environment.Variables).toMatchObject({
      STAGE: 'dev',
      LOG_LEVEL: 'INFO',
      NODE_OPTIONS: '--enable-source-maps',
    });
  });

  it.each([
    ['presign-upload', ['BUCKET_NAME']],
    ['presign-image', ['BUCKET_NAME']],
    ['delete-object', ['BUCKET_NAME']],
    ['deliver-callback', ['TABLE_NAME', 'WEBHOOK_SECRET_ARN']],
    ['process-upload', ['TABLE_NAME', 'BUCKET_NAME', 'APPSYNC_GRAPHQL_URL', 'WEBHOOK_SECRET_ARN', 'UPLOAD_QUEUE_URL']],
  ])('tells %s where its resources are: %j', (handler, names) => {
    const resources: Record<string, unknown> = {
      UPLOAD_QUEUE_URL: { Ref: logicalId(stack.uploadQueue.queue) },
      TABLE_NAME: { Ref: logicalId(stack.table) },
      BUCKET_NAME: { Ref: logicalId(stack.bucket) },
      APPSYNC_GRAPHQL_URL: { 'Fn::GetAtt': [logicalId(stack.api), 'GraphQLUrl'] },
      WEBHOOK_SECRET_ARN: { Ref: logicalId(stack.webhookSecret) },
    };
    const variables = propertiesOf(handler).Environment.Variables;

    expect(Object.keys(variables).filter((name) => name in resources)).toEqual(names);
    for (const name of names) {
      expect(variables[name]).toEqual(resources[name]);
    }
  });

  it.each(handlers)('logs %s to its own log group, kept 30 days', (handler) => {
    const logGroup = logicalId(stack.functions.get(handler).logGroup);

    expect(propertiesOf(handler).LoggingConfig).toEqual({ LogGroup: { Ref: logGroup } });
    expect(template.toJSON().Resources[logGroup].Properties).toEqual({ RetentionInDays: 30 });
  });

  it.each(handlers)('bundles %s with esbuild as a minified ES module with its source map', (handler) => {
    const code = readFileSync(path.join(bundleDir(handler), 'index.mjs'), 'utf8');

    expect(code.startsWith("import { createRequire as __bundleCreateRequire } from 'node:module';")).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}/);
    // Minified: long lines (the few line breaks left are inside string literals).
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
    expect(existsSync(path.join(bundleDir(handler), 'index.mjs.map'))).toBe(true);
  });

  it.each(handlers)(
    'bundles every package %s loads at start, leaving out only the unused credential providers',
    (handler) => {
      const code = readFileSync(path.join(bundleDir(handler), 'index.mjs'), 'utf8');
      const staticImports = [...code.matchAll(/\bfrom\s*"([^"]+)"/g)].map((match) => match[1]);
      const dynamicImports = [...code.matchAll(/\bimport\(\s*"([^"]+)"\s*\)/g)].map((match) => match[1]);
      const packages = (names: string[]) =>
        names.filter((name) => !builtinModules.includes(name.replace(/^node:/, '')));

      expect(packages(staticImports)).toEqual([]);
      expect(packages(dynamicImports).filter((name) => !UNUSED_CREDENTIAL_PROVIDERS.includes(name))).toEqual([]);
    },
  );

  it('keeps every bundle under 500 KB, process-upload under 550 KB', () => {
    // process-upload carries five clients (S3, DynamoDB, Rekognition, SQS, Secrets Manager) and the batch processor.
    const limitKb = (handler: string) => (handler === 'process-upload' ? 550 : 500);
    const sizes = Object.fromEntries(
      handlers.map((handler) => [handler, statSync(path.join(bundleDir(handler), 'index.mjs')).size]),
    );

    expect(Object.entries(sizes).filter(([handler, size]) => size >= limitKb(handler) * 1024)).toEqual([]);
  });
});
