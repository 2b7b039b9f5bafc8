// The executable schema: preamble + schema.graphql, AppSync's scalars, and one wrapper on every field that
// stops once the request is aborted, enforces queryDepthLimit and resolverCountLimit, checks field-level
// authorization, then calls the resolver runtime (fields with a resolver) or reads the field from its parent.
import {
  buildSchema,
  defaultFieldResolver,
  getLocation,
  isObjectType,
  Kind,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { DEFAULT_AUTH_MODE, fieldRules, isAuthorized, unauthorizedFieldMessage, type AuthMode, type Caller } from './auth.ts';
import { AppSyncFieldError, fieldError, type ResponseError } from './errors.ts';
import { DEFAULT_LIMITS, depthLimitError, fieldDepth, RESOLVER_LIMIT_ERROR } from './limits.ts';
import { abortError } from './runtime/abort.ts';
import type { FieldInvocation, ResolverRuntime } from './runtime/types.ts';
import { installAwsScalars } from './scalars.ts';
import { selectionSetGraphQL, selectionSetList } from './selection.ts';

/** Per-operation state, passed to graphql-js as contextValue. */
export interface OperationContext {
  caller: Caller;
  /** Request headers, lower-case names, as ctx.request.headers. */
  headers: Record<string, string>;
  /**
   * `execute`: a query or mutation over HTTP, resolvers run.
   * `deliver`: a mutation's result is rendered for one subscriber; no resolver runs, the payload is the source.
   */
  phase: 'execute' | 'deliver';
  /** Errors added beside data (util.appendError, or util.error beyond the first). */
  appendedErrors: ResponseError[];
  /** util.http.addResponseHeader(s) of the resolvers that ran. */
  responseHeaders: Record<string, string>;
  /** extensions.invalidateSubscriptions calls of the resolvers that ran, in order. */
  invalidations: Array<{ subscriptionField: string; payload: Record<string, unknown> }>;
  /** Aborted when the request must stop (client gone, time out): no field resolves after it; its reason is the error. */
  signal: AbortSignal;
  /** Resolvers invoked so far, against resolverCountLimit. */
  resolverInvocations: number;
}

export function operationContext(
  caller: Caller,
  headers: Record<string, string>,
  phase: OperationContext['phase'],
  signal: AbortSignal = new AbortController().signal,
): OperationContext {
  return { caller, headers, phase, appendedErrors: [], responseHeaders: {}, invalidations: [], signal, resolverInvocations: 0 };
}

export interface SchemaOptions {
  /** The API's default auth mode: fields and types without auth directives admit it only. Default API_KEY. */
  defaultAuthMode?: AuthMode;
  /** Resolvers invoked per request. Default 10,000. */
  resolverCountLimit?: number;
  /** Nested levels of a query; 0 = unlimited (default). */
  queryDepthLimit?: number;
}

export interface AppSyncSchema {
  schema: GraphQLSchema;
  defaultAuthMode: AuthMode;
  /** Whether the runtime runs a resolver for the field (the resolvers resolverCountLimit counts). */
  hasResolver(typeName: string, fieldName: string): boolean;
  /** Mutation field → subscription fields that name it in @aws_subscribe(mutations: [...]). */
  subscriptionsByMutation: Map<string, string[]>;
}

function responsePath(info: GraphQLResolveInfo): Array<string | number> {
  const path: Array<string | number> = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) path.unshift(p.key);
  return path;
}

function fieldLocations(info: GraphQLResolveInfo): Array<{ line: number; column: number }> {
  return info.fieldNodes.flatMap((node) => (node.loc ? [getLocation(node.loc.source, node.loc.start)] : []));
}

function subscribeMutations(schema: GraphQLSchema): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const subscriptionType = schema.getSubscriptionType();
  for (const field of Object.values(subscriptionType?.getFields() ?? {})) {
    const directive = field.astNode?.directives?.find((d) => d.name.value === 'aws_subscribe');
    const argument = directive?.arguments?.find((a) => a.name.value === 'mutations');
    if (argument?.value.kind !== Kind.LIST) continue;
    for (const item of argument.value.values) {
      if (item.kind !== Kind.STRING) continue;
      map.set(item.value, [...(map.get(item.value) ?? []), field.name]);
    }
  }
  return map;
}

export function fieldInvocation(
  typeName: string,
  args: Record<string, unknown>,
  source: unknown,
  context: OperationContext,
  info: GraphQLResolveInfo,
): FieldInvocation {
  return {
    typeName,
    fieldName: info.fieldName,
    arguments: args,
    source: source ?? null,
    identity: context.caller.identity,
    request: { headers: context.headers, domainName: null },
    signal: context.signal,
    info: {
      fieldName: info.fieldName,
      parentTypeName: typeName,
      variables: info.variableValues,
      selectionSetList: selectionSetList(info.fieldNodes, info.fragments),
      selectionSetGraphQL: selectionSetGraphQL(info.fieldNodes),
    },
  };
}

function wrapField(
  type: GraphQLObjectType,
  fieldName: string,
  runtime: ResolverRuntime,
  isSubscriptionRoot: boolean,
  options: Required<SchemaOptions>,
): GraphQLFieldResolver<unknown, OperationContext> {
  const field = type.getFields()[fieldName];
  const rules = fieldRules(type, field, options.defaultAuthMode);
  const hasResolver = !isSubscriptionRoot && runtime.hasResolver(type.name, fieldName);
  const resolveWithRuntime = async (
    source: unknown,
    args: Record<string, unknown>,
    context: OperationContext,
    info: GraphQLResolveInfo,
  ): Promise<unknown> => {
    const resolution = await runtime.resolveField(fieldInvocation(type.name, args, source, context, info));
    Object.assign(context.responseHeaders, resolution.responseHeaders);
    context.invalidations.push(...(resolution.invalidations ?? []));
    const path = responsePath(info);
    const locations = fieldLocations(info);
    const [first, ...rest] = resolution.errors;
    if (first && (resolution.data === null || resolution.data === undefined)) {
      context.appendedErrors.push(...rest.map((e) => fieldError(e, path, locations)));
      throw new AppSyncFieldError(first);
    }
    context.appendedErrors.push(...resolution.errors.map((e) => fieldError(e, path, locations)));
    return resolution.data;
  };
  return (source, args, context, info) => {
    if (context.signal.aborted) throw new AppSyncFieldError(abortError(context.signal));
    if (options.queryDepthLimit > 0 && fieldDepth(info.path) > options.queryDepthLimit) {
      throw new AppSyncFieldError(depthLimitError(options.queryDepthLimit));
    }
    if (!isAuthorized(rules, context.caller)) {
      throw new AppSyncFieldError({
        errorType: 'Unauthorized',
        message: unauthorizedFieldMessage(fieldName, type.name),
      });
    }
    if (context.phase === 'execute' && hasResolver) {
      context.resolverInvocations += 1;
      // Past the limit a resolver is not invoked at all: its field fails, as AppSync reports it.
      if (context.resolverInvocations > options.resolverCountLimit) throw new AppSyncFieldError(RESOLVER_LIMIT_ERROR);
      return resolveWithRuntime(source, args, context, info);
    }
    return defaultFieldResolver(source, args, context, info);
  };
}

export function buildAppSyncSchema(sdl: string, runtime: ResolverRuntime, schemaOptions: SchemaOptions = {}): AppSyncSchema {
  const options: Required<SchemaOptions> = {
    defaultAuthMode: schemaOptions.defaultAuthMode ?? DEFAULT_AUTH_MODE,
    resolverCountLimit: schemaOptions.resolverCountLimit ?? DEFAULT_LIMITS.resolverCountLimit,
    queryDepthLimit: schemaOptions.queryDepthLimit ?? DEFAULT_LIMITS.queryDepthLimit,
  };
  const schema = buildSchema(sdl);
  installAwsScalars(schema);
  const subscriptionType = schema.getSubscriptionType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const [fieldName, field] of Object.entries(type.getFields())) {
      field.resolve = wrapField(type, fieldName, runtime, type === subscriptionType, options);
    }
  }
  return {
    schema,
    defaultAuthMode: options.defaultAuthMode,
    hasResolver: (typeName, fieldName) => runtime.hasResolver(typeName, fieldName),
    subscriptionsByMutation: subscribeMutations(schema),
  };
}
