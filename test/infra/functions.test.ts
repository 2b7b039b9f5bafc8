import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { SETTINGS, type SettingName } from '../../functions/commons/config.ts';
import { FUNCTION_NAMES, FUNCTIONS } from '../../functions/manifest.ts';
import { UNUSED_CREDENTIAL_PROVIDERS } from '../../infra/constructs/functions.ts';
import { synthesize } from './synthesize.ts';

// The one synthesis that runs esbuild for every function, as `cdk synth` does.
const { app, stack, template } = synthesize({ bundle: true });

const handlers = FUNCTION_NAMES;
/** What the Lambda runtime or the stack itself adds to every function, settings apart. */
const NOT_SETTINGS = ['POWERTOOLS_SERVICE_NAME'];
const declared = (handler: string): SettingName[] => [...FUNCTIONS[handler as keyof typeof FUNCTIONS].settings];
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
  it('are the functions of functions/manifest.ts, no more, no fewer', () => {
    expect(stack.functions.names).toEqual(FUNCTION_NAMES);
    template.resourceCountIs('AWS::Lambda::Function', FUNCTION_NAMES.length + 1); // + CDK's bucket notifications handler
  });

  it.each(handlers)('runs %s on Node.js 24 on arm64', (handler) => {
    expect(propertiesOf(handler)).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
    });
  });

  it.each(handlers)('gives %s the timeout and memory its manifest entry declares', (handler) => {
    const spec = FUNCTIONS[handler];

    expect(propertiesOf(handler)).toMatchObject({ Timeout: spec.timeoutSeconds, MemorySize: spec.memoryMb });
  });

  it.each(handlers)('sets only the variables of the settings %s declares, and every required one', (handler) => {
    const variables = Object.keys(propertiesOf(handler).Environment.Variables).filter((name) => !NOT_SETTINGS.includes(name));
    const allowed = declared(handler).flatMap((setting) => SETTINGS[setting].variables);
    const required = declared(handler).filter((setting) => SETTINGS[setting].required && !SETTINGS[setting].setByRuntime);

    expect(variables.filter((name) => !allowed.includes(name))).toEqual([]);
    for (const setting of required) {
      expect(variables.some((name) => SETTINGS[setting].variables.includes(name))).toBe(true);
    }
    expect(propertiesOf(handler).Environment.Variables).toMatchObject({ POWERTOOLS_SERVICE_NAME: handler });
    // Source maps cost every cold start (bench/cold-import.ts): the runtime does not load them.
    expect(propertiesOf(handler).Environment.Variables.NODE_OPTIONS).toBeUndefined();
  });

  it.each(handlers)('tells %s where the resources it declares are, and the stage and log level', (handler) => {
    const expected: Partial<Record<SettingName, [string, unknown]>> = {
      stage: ['STAGE', 'dev'],
      logLevel: ['LOG_LEVEL', 'INFO'],
      uploadQueueUrl: ['UPLOAD_QUEUE_URL', { Ref: logicalId(stack.uploadQueue.queue) }],
      tableName: ['TABLE_NAME', { Ref: logicalId(stack.table) }],
      bucketName: ['BUCKET_NAME', { Ref: logicalId(stack.bucket) }],
      appsyncGraphqlUrl: ['APPSYNC_GRAPHQL_URL', { 'Fn::GetAtt': [logicalId(stack.api), 'GraphQLUrl'] }],
      webhookSecret: ['WEBHOOK_SECRET_ARN', { Ref: logicalId(stack.webhookSecret) }],
    };
    const variables = propertiesOf(handler).Environment.Variables;

    for (const setting of declared(handler)) {
      const [name, value] = expected[setting] ?? [];
      if (name !== undefined) {
        expect(variables[name]).toEqual(value);
      }
    }
  });

  it.each(handlers)('logs %s to its own log group, kept 30 days', (handler) => {
    const logGroup = logicalId(stack.functions.get(handler).logGroup);

    expect(propertiesOf(handler).LoggingConfig).toEqual({ LogGroup: { Ref: logGroup } });
    expect(template.toJSON().Resources[logGroup].Properties).toEqual({ RetentionInDays: 30 });
  });

  it.each(handlers)('bundles %s with esbuild as a minified ES module, without a source map the runtime would not read', (handler) => {
    const code = readFileSync(path.join(bundleDir(handler), 'index.mjs'), 'utf8');

    expect(code.startsWith("import { createRequire as __bundleCreateRequire } from 'node:module';")).toBe(true);
    expect(code).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}/);
    // Minified: long lines (the few line breaks left are inside string literals).
    expect(code.length / code.split('\n').length).toBeGreaterThan(1000);
    expect(existsSync(path.join(bundleDir(handler), 'index.mjs.map'))).toBe(false);
    expect(code).not.toContain('sourceMappingURL');
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

  it.each(handlers)('does not import node:http when %s loads (on Node 24 that import also loads undici)', (handler) => {
    const code = readFileSync(path.join(bundleDir(handler), 'index.mjs'), 'utf8');
    const staticImports = [...code.matchAll(/\bfrom\s*"([^"]+)"/g)].map((match) => match[1].replace(/^node:/, ''));

    expect(staticImports).toContain('https');
    expect(staticImports).not.toContain('http');
  });

  it.each(handlers)('bundles into %s the SDK clients of the services its permissions name, and no other', (handler) => {
    const code = readFileSync(path.join(bundleDir(handler), 'index.mjs'), 'utf8');
    // Every SDK client's runtime configuration defaults its serviceId: `serviceId:t?.serviceId??"SQS"` once minified.
    const clients = [...code.matchAll(/serviceId:\w+\?\.serviceId\?\?"([^"]+)"/g)].map((match) =>
      match[1].replace(/\s/g, '').toLowerCase());
    // appsync:GraphQL is a signed HTTP request (functions/publishing/appsync-publisher.ts), not a client.
    const services = FUNCTIONS[handler].permissions
      .flatMap((permission) => permission.actions.map((action) => action.split(':')[0]))
      .filter((service) => service !== 'appsync');

    expect([...new Set(clients)].sort()).toEqual([...new Set(services)].sort());
  });

  it('keeps every bundle under 500 KB, process-upload under 550 KB', () => {
    // process-upload carries five clients (S3, DynamoDB, Rekognition, SQS, Secrets Manager) and the batch processor.
    const limitKb = (handler: string) => (handler === 'process-upload' ? 550 : 500);
    const sizes = Object.fromEntries(
      handlers.map((handler) => [handler, statSync(path.join(bundleDir(handler), 'index.mjs')).size]),
    );

    expect(Object.entries(sizes).filter(([handler, size]) => size >= limitKb(handler) * 1024)).toEqual([]);
  });
});
