// A runtime over hand-written APPSYNC_JS modules (written to a temporary bundles directory) and a
// manifest of the test's own, to exercise pipeline semantics independently of the product's resolvers.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DataSourceSpec, ResolverSpec } from '../../../../../resolvers/manifest.ts';
import { createResolverRuntime, type LambdaHandler, type ResolverRuntimeOptions } from '../../../../../local/appsync/runtime/index.ts';
import type { FieldInvocation, FieldResolution, ResolverRuntime } from '../../../../../local/appsync/runtime/types.ts';

export interface FixtureRuntime {
  runtime: ResolverRuntime;
  logs: Array<{ level: string; message: string }>;
  resolve(typeName: string, fieldName: string, args?: Record<string, unknown>, extra?: Partial<FieldInvocation>): Promise<FieldResolution>;
  close(): void;
}

export interface FixtureOptions {
  /** code → module source */
  modules: Record<string, string>;
  resolvers: ResolverSpec[];
  dataSources?: Record<string, DataSourceSpec>;
  lambdas?: Record<string, LambdaHandler>;
  dynamodb?: ResolverRuntimeOptions['dynamodb'];
  now?: () => number;
  handlerTimeoutMs?: number;
  /** false to load code AppSync would refuse (a runaway loop for the time limit). */
  checkCode?: boolean;
}

export function invocation(typeName: string, fieldName: string, args: Record<string, unknown> = {}, extra: Partial<FieldInvocation> = {}): FieldInvocation {
  return {
    typeName,
    fieldName,
    arguments: args,
    source: null,
    identity: null,
    request: { headers: { 'x-test': 'yes' }, domainName: null },
    info: { fieldName, parentTypeName: typeName, variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
    ...extra,
  };
}

export function fixtureRuntime(options: FixtureOptions): FixtureRuntime {
  const dir = mkdtempSync(path.join(tmpdir(), 'appsync-fixture-'));
  for (const [code, source] of Object.entries(options.modules)) {
    const file = path.join(dir, `${code}.js`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, source);
  }
  const logs: Array<{ level: string; message: string }> = [];
  const log = (level: string) => (message: string) => logs.push({ level, message });
  const runtime = createResolverRuntime({
    bundlesDir: dir,
    dynamodb: options.dynamodb ?? { tableName: 'unused', clientFor: () => ({ send: () => Promise.reject(new Error('no DynamoDB in this runtime')) }) },
    lambdas: options.lambdas ?? {},
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
    now: options.now,
    handlerTimeoutMs: options.handlerTimeoutMs,
    checkCode: options.checkCode,
    manifest: { resolvers: options.resolvers, dataSources: options.dataSources ?? { none: { kind: 'NONE' } } },
  });
  return {
    runtime,
    logs,
    resolve: (typeName, fieldName, args = {}, extra = {}) => runtime.resolveField(invocation(typeName, fieldName, args, extra)),
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}
