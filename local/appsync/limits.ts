// AppSync's execution limits: the API settings (resolverCountLimit, queryDepthLimit, introspectionConfig) and the
// service quotas (30 s per request, request and realtime message sizes, subscriptions per connection), with
// AppSync's defaults, plus the errors AppSync reports when one is reached.
import { GraphQLError, type ASTVisitor, type DocumentNode, type OperationDefinitionNode, type ValidationContext } from 'graphql';
import type { AppSyncError } from './runtime/types.ts';
import { fragmentsOf, rootFields } from './selection.ts';

export interface AppSyncLimits {
  /** Resolvers invoked per request; AppSync: 1..10,000, 0 means the maximum (10,000). */
  resolverCountLimit: number;
  /** Nested levels of a query; AppSync: 0 (no limit, the default) or 1..75. */
  queryDepthLimit: number;
  /** Whether `__schema` and `__type` may be queried. */
  introspectionConfig: 'ENABLED' | 'DISABLED';
  /** Execution time of one request (AppSync: 30 s, not adjustable). */
  executionTimeoutMs: number;
  /** Size of an HTTP request body. */
  maxRequestBytes: number;
  /** Lexical tokens of a GraphQL document: bounds the cost of parsing before anything else runs. */
  maxQueryTokens: number;
  /** Size of one message received on the realtime WebSocket; a larger one closes the connection (1009). */
  maxRealtimeMessageBytes: number;
  /** Subscriptions registered on one realtime connection (AppSync's quota: 100). */
  maxSubscriptionsPerConnection: number;
}

export const MAX_RESOLVER_COUNT = 10_000;
export const MAX_QUERY_DEPTH = 75;

export const DEFAULT_LIMITS: AppSyncLimits = {
  resolverCountLimit: MAX_RESOLVER_COUNT,
  queryDepthLimit: 0,
  introspectionConfig: 'ENABLED',
  executionTimeoutMs: 30_000,
  maxRequestBytes: 5 * 1024 * 1024,
  // 10,000 aliased fields (the most resolvers a request may run) take ~110,000 tokens; far beyond that is abuse.
  maxQueryTokens: 200_000,
  maxRealtimeMessageBytes: 240 * 1024,
  maxSubscriptionsPerConnection: 100,
};

/** The limits in force: defaults filled in, and the API settings checked against AppSync's ranges. */
export function resolveLimits(overrides: Partial<AppSyncLimits> = {}): AppSyncLimits {
  const limits = { ...DEFAULT_LIMITS, ...overrides };
  if (!Number.isInteger(limits.resolverCountLimit) || limits.resolverCountLimit < 0 || limits.resolverCountLimit > MAX_RESOLVER_COUNT) {
    throw new Error(`resolverCountLimit must be an integer from 0 to ${MAX_RESOLVER_COUNT}`);
  }
  if (!Number.isInteger(limits.queryDepthLimit) || limits.queryDepthLimit < 0 || limits.queryDepthLimit > MAX_QUERY_DEPTH) {
    throw new Error(`queryDepthLimit must be an integer from 0 to ${MAX_QUERY_DEPTH}`);
  }
  for (const name of ['executionTimeoutMs', 'maxRequestBytes', 'maxQueryTokens', 'maxRealtimeMessageBytes', 'maxSubscriptionsPerConnection'] as const) {
    if (!(limits[name] > 0)) throw new Error(`${name} must be positive`);
  }
  return { ...limits, resolverCountLimit: limits.resolverCountLimit === 0 ? MAX_RESOLVER_COUNT : limits.resolverCountLimit };
}

export const RESOLVER_LIMIT_ERROR: AppSyncError = {
  errorType: 'ResolverExecutionLimitReached',
  message: 'Resolver invocation limit reached.',
};

export const EXECUTION_TIMEOUT_ERROR: AppSyncError = { errorType: 'ExecutionTimeout', message: 'Execution timed out.' };

export function depthLimitError(limit: number): AppSyncError {
  return { errorType: 'QueryDepthLimitExceeded', message: `Query depth limit of ${limit} exceeded.` };
}

/** Nested level of the field at `path` (root fields are level 1; list indexes do not count). */
export function fieldDepth(path: { key: string | number; prev: unknown } | undefined): number {
  let depth = 0;
  for (let p = path; p; p = p.prev as typeof path) if (typeof p.key === 'string') depth += 1;
  return depth;
}

/**
 * Resolvers the operation certainly invokes before any data is known: one per distinct root field that has a
 * resolver. When this alone is over the limit, the request is refused before anything runs.
 */
export function certainResolverCount(
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rootTypeName: string,
  hasResolver: (typeName: string, fieldName: string) => boolean,
): number {
  const responseKeys = new Set<string>();
  for (const field of rootFields(operation.selectionSet, fragmentsOf(document))) {
    if (hasResolver(rootTypeName, field.name.value)) responseKeys.add(field.alias?.value ?? field.name.value);
  }
  return responseKeys.size;
}

/** introspectionConfig DISABLED: `__schema` and `__type` are refused as unknown fields (AppSync answers a validation error). */
export function introspectionDisabledRule(context: ValidationContext): ASTVisitor {
  return {
    Field(node) {
      const name = node.name.value;
      if (name !== '__schema' && name !== '__type') return;
      const parent = context.getParentType()?.name ?? 'Query';
      context.reportError(new GraphQLError(`Field '${name}' in type '${parent}' is undefined`, { nodes: node }));
    },
  };
}
