// The local APPSYNC_JS runtime: executes the bundled resolvers (dist/resolvers/<code>.js) listed in
// resolvers/manifest.ts, with AppSync's util/runtime/extensions, pipeline semantics and data sources.
// Used by the local AppSync server and by the resolver tests.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { DynamoDbRequests } from '../../dynamodb/direct-client.ts';
import * as projectManifest from '../../../resolvers/manifest.ts';
import type { DataSourceSpec, ResolverSpec } from '../../../resolvers/manifest.ts';
import { appsyncJsViolations } from '../../../scripts/appsync-js-check.ts';
import { DynamoDBDataSource } from './data-sources/dynamodb.ts';
import { invokeLambda, type LambdaHandler } from './data-sources/lambda.ts';
import { invokeNone } from './data-sources/none.ts';
import type { DataSourceOutcome } from './data-sources/types.ts';
import { newInvocationState } from './invocation.ts';
import { FieldExecution, type CompiledResolver } from './pipeline.ts';
import { Sandbox, type LoadedHandlers } from './sandbox.ts';
import type { FieldInvocation, FieldResolution, ResolverRuntime, SubscriptionResolution } from './types.ts';
import { createExtensions, createRuntime, createUtil, type RuntimeLogger } from './util/index.ts';

export type { RuntimeLogger } from './util/index.ts';
export type { LambdaHandler } from './data-sources/lambda.ts';

export interface ResolverRuntimeOptions {
  /** Where `npm run build` wrote the bundles, e.g. `dist/resolvers`. */
  bundlesDir: string;
  /** The table behind the manifest's DynamoDB data sources, and each one's client (running as its role). */
  dynamodb: { tableName: string; clientFor(dataSource: string): DynamoDbRequests };
  /** Lambda data sources, by the handler name the manifest gives (`presign-upload`, ...). */
  lambdas: Record<string, LambdaHandler>;
  /** Resolver `console` output and runtime diagnostics. Default: silent. */
  logger?: RuntimeLogger;
  /** The clock util.time and the id generators read (epoch ms). Default: Date.now. */
  now?: () => number;
  /** The API's environment variables, as resolvers read them from `ctx.env`. Default: none. */
  environmentVariables?: Readonly<Record<string, string>>;
  /** A handler running longer than this fails with a Code error. Default 1000 ms. */
  handlerTimeoutMs?: number;
  /**
   * Refuse, when the runtime is created, a bundle that uses what APPSYNC_JS refuses (scripts/appsync-js-check.ts: the build
   * refuses it too). Default true; only a test of the runtime's own guards (a runaway loop) turns it off.
   */
  checkCode?: boolean;
  /** Which resolvers and data sources exist. Default: resolvers/manifest.ts (tests pass their own). */
  manifest?: { resolvers: readonly ResolverSpec[]; dataSources: Readonly<Record<string, DataSourceSpec>> };
}

const silentLogger: RuntimeLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

export function createResolverRuntime(options: ResolverRuntimeOptions): ResolverRuntime {
  const logger = options.logger ?? silentLogger;
  const resolverSpecs: readonly ResolverSpec[] = options.manifest?.resolvers ?? projectManifest.resolvers;
  const dataSourceSpecs: Readonly<Record<string, DataSourceSpec>> = options.manifest?.dataSources ?? projectManifest.dataSources;
  const now = options.now ?? Date.now;
  const environmentVariables = { ...(options.environmentVariables ?? {}) };
  const appsyncUtils = { util: createUtil({ now, logger }), runtime: createRuntime(), extensions: createExtensions() };
  const sandbox = new Sandbox({ appsyncUtils, logger, timeoutMs: options.handlerTimeoutMs ?? 1000 });

  const missing = Object.values(dataSourceSpecs).flatMap((spec) => (spec.kind === 'LAMBDA' && !options.lambdas[spec.handler] ? [spec.handler] : []));
  if (missing.length > 0) {
    throw new Error(`createResolverRuntime: no Lambda handler for ${missing.join(', ')} (options.lambdas)`);
  }

  const loaded = new Map<string, LoadedHandlers>();
  const load = (code: string): LoadedHandlers => {
    const existing = loaded.get(code);
    if (existing) return existing;
    const file = path.join(options.bundlesDir, `${code}.js`);
    if (!existsSync(file)) {
      throw new Error(`createResolverRuntime: ${file} is missing; run \`npm run build\` first`);
    }
    const source = readFileSync(file, 'utf8');
    const refused = options.checkCode === false ? [] : appsyncJsViolations(source, file, { requireHandlers: false });
    if (refused.length > 0) {
      throw new Error(`createResolverRuntime: ${file} uses what APPSYNC_JS refuses:\n${refused.join('\n')}`);
    }
    const handlers = sandbox.load(code, file, source);
    loaded.set(code, handlers);
    return handlers;
  };
  const compile = (spec: ResolverSpec): CompiledResolver =>
    spec.kind === 'UNIT'
      ? { kind: 'UNIT', handlers: load(spec.code), dataSource: spec.dataSource }
      : { kind: 'PIPELINE', handlers: load(spec.code), steps: spec.steps.map((s) => ({ name: s.name, handlers: load(s.code), dataSource: s.dataSource })) };

  const compiled = new Map<string, CompiledResolver>(resolverSpecs.map((spec) => [`${spec.typeName}.${spec.fieldName}`, compile(spec)]));

  const dynamodbSources = new Map(
    Object.entries(dataSourceSpecs)
      .filter(([, spec]) => spec.kind === 'DYNAMODB')
      .map(([name]) => [name, new DynamoDBDataSource({ client: options.dynamodb.clientFor(name), tableName: options.dynamodb.tableName })]),
  );
  const invokeDataSource = async (name: string, request: unknown): Promise<DataSourceOutcome> => {
    const spec = Object.hasOwn(dataSourceSpecs, name) ? dataSourceSpecs[name] : undefined;
    switch (spec?.kind) {
      case 'DYNAMODB':
        return dynamodbSources.get(name)!.execute(request);
      case 'LAMBDA':
        return invokeLambda(options.lambdas[spec.handler], request, (error) =>
          logger.error(`Lambda ${spec.handler} (Event invocation) failed: ${error instanceof Error ? error.message : String(error)}`),
        );
      case 'NONE':
        return invokeNone(request);
      default:
        throw new Error(`No data source ${name} in resolvers/manifest.ts`);
    }
  };

  const execute = (invocation: FieldInvocation) => {
    const resolver = compiled.get(`${invocation.typeName}.${invocation.fieldName}`);
    if (!resolver) throw new Error(`No resolver for ${invocation.typeName}.${invocation.fieldName}`);
    const state = newInvocationState(invocation.typeName, invocation.fieldName, invocation.identity);
    return { state, result: new FieldExecution(invocation, state, invokeDataSource, logger, environmentVariables).run(resolver) };
  };

  return {
    hasResolver: (typeName, fieldName) => compiled.has(`${typeName}.${fieldName}`),

    resolveField(invocation: FieldInvocation): Promise<FieldResolution> {
      return execute(invocation).result;
    },

    async subscribe(invocation: FieldInvocation): Promise<SubscriptionResolution> {
      const { state, result } = execute(invocation);
      const resolution = await result;
      const failed = resolution.errors.length > state.appendedErrors.length;
      return {
        errors: failed ? resolution.errors.slice(state.appendedErrors.length) : [],
        filter: failed ? null : state.subscriptionFilter,
        invalidationFilter: failed ? null : state.invalidationFilter,
      };
    },
  };
}
