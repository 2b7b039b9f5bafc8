// The executable schema: preamble + schema.graphql, AppSync's scalars, and one wrapper on every field that
// checks field-level authorization, then calls the resolver runtime (fields with a resolver) or reads the
// field from its parent (fields without one).
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
import { allowedModes, unauthorizedFieldMessage, type Caller } from './auth.ts';
import { AppSyncFieldError, fieldError, type ResponseError } from './errors.ts';
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
}

export function operationContext(caller: Caller, headers: Record<string, string>, phase: OperationContext['phase']): OperationContext {
  return { caller, headers, phase, appendedErrors: [], responseHeaders: {}, invalidations: [] };
}

export interface AppSyncSchema {
  schema: GraphQLSchema;
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
): GraphQLFieldResolver<unknown, OperationContext> {
  const field = type.getFields()[fieldName];
  const modes = allowedModes(type, field);
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
    if (!modes.includes(context.caller.mode)) {
      throw new AppSyncFieldError({
        errorType: 'Unauthorized',
        message: unauthorizedFieldMessage(fieldName, type.name),
      });
    }
    if (context.phase === 'execute' && hasResolver) return resolveWithRuntime(source, args, context, info);
    return defaultFieldResolver(source, args, context, info);
  };
}

export function buildAppSyncSchema(sdl: string, runtime: ResolverRuntime): AppSyncSchema {
  const schema = buildSchema(sdl);
  installAwsScalars(schema);
  const subscriptionType = schema.getSubscriptionType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const [fieldName, field] of Object.entries(type.getFields())) {
      field.resolve = wrapField(type, fieldName, runtime, type === subscriptionType);
    }
  }
  return { schema, subscriptionsByMutation: subscribeMutations(schema) };
}
