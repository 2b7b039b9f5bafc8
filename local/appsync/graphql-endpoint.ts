// GraphQL over HTTP as AppSync serves it: POST /graphql with JSON {query, variables, operationName},
// CORS for browsers, authentication before anything else, AppSync's limits (body size, parse cost,
// introspection, resolver count, execution time), AppSync's status codes and error shapes, and the fan-out of
// every successful mutation field to its subscribers. A request whose client hangs up stops where it is.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  execute,
  getOperationAST,
  type DocumentNode,
  type ExecutionResult,
  type OperationDefinitionNode,
} from 'graphql';
import { authenticate, iamDenies, IAM_PERMISSION_DENIED, type AuthConfig } from './auth.ts';
import type { DocumentCache } from './documents.ts';
import {
  formatExecutionError,
  requestError,
  type GraphQLResponseBody,
  type ResponseError,
} from './errors.ts';
import { coerceVariables } from './variables.ts';
import {
  certainResolverCount,
  EXECUTION_TIMEOUT_ERROR,
  RESOLVER_LIMIT_ERROR,
  type AppSyncLimits,
} from './limits.ts';
import type { AppSyncLogger } from './logger.ts';
import { ABORTED_ERROR } from './runtime/abort.ts';
import type { AppSyncError } from './runtime/types.ts';
import { operationContext, type AppSyncSchema } from './schema.ts';
import { fragmentsOf, projectSelectedFields, rootFields } from './selection.ts';

const CORS_ALLOW_HEADERS = [
  'content-type',
  'x-amz-date',
  'authorization',
  'x-api-key',
  'x-amz-security-token',
  'x-amz-user-agent',
  'x-amz-content-sha256',
].join(', ');

export interface GraphQLEndpointOptions {
  appSchema: AppSyncSchema;
  auth: AuthConfig;
  limits: AppSyncLimits;
  /** Parsed and validated documents by query text (the realtime endpoint shares it). */
  documents: DocumentCache;
  graphqlPath: string;
  /** Receives each successful mutation field's result, keyed by field names, selected fields only. */
  publish(mutationField: string, payload: Record<string, unknown>): Promise<unknown>;
  /** extensions.invalidateSubscriptions of the resolvers that ran. */
  invalidate(subscriptionField: string, payload: Record<string, unknown>): unknown;
  logger: AppSyncLogger;
}

interface GraphQLRequest {
  query: string;
  variables: Record<string, unknown>;
  operationName: string | null;
}

function corsHeaders(res: ServerResponse): void {
  res.setHeader('access-control-allow-origin', '*');
  res.setHeader('access-control-expose-headers', 'x-amzn-requestid, x-amzn-errortype');
}

function send(res: ServerResponse, status: number, body: GraphQLResponseBody): void {
  const errorType = status >= 400 ? body.errors?.[0]?.errorType : undefined;
  if (errorType) res.setHeader('x-amzn-errortype', errorType);
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) return null;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

export function headerRecord(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export function sourceIpOf(req: IncomingMessage): string | null {
  const address = req.socket.remoteAddress;
  return address ? address.replace(/^::ffff:/, '') : null;
}

function queryRecord(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  return query;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readRequest(body: Buffer): GraphQLRequest | null {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    return null;
  }
  if (!isRecord(json) || typeof json.query !== 'string' || json.query.trim() === '') return null;
  let variables: unknown = json.variables ?? {};
  if (typeof variables === 'string') {
    try {
      variables = variables.trim() === '' ? {} : JSON.parse(variables);
    } catch {
      return null;
    }
  }
  if (variables === null) variables = {};
  if (!isRecord(variables)) return null;
  const operationName = typeof json.operationName === 'string' && json.operationName !== '' ? json.operationName : null;
  return { query: json.query, variables, operationName };
}

/** A whole-request failure in a field error's shape, beside `data: null` (how AppSync reports limits it hits). */
function operationError(error: AppSyncError): ResponseError {
  return { path: null, data: null, errorType: error.errorType, errorInfo: null, locations: null, message: error.message };
}

/**
 * Runs `run` with a signal that aborts when the client hangs up (reason: the request was aborted) or when the
 * execution time runs out (reason: ExecutionTimeout). Resolves with the result, or with the abort's error when
 * that came first: the response does not wait for work still in flight, which stops at its next check
 * (`settled` tells when it has).
 */
async function withinLimits<T>(
  res: ServerResponse,
  timeoutMs: number,
  run: (signal: AbortSignal) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: AppSyncError; settled: Promise<void> }> {
  const controller = new AbortController();
  const onClose = (): void => {
    if (!res.writableFinished) controller.abort(ABORTED_ERROR);
  };
  res.once('close', onClose);
  const timer = setTimeout(() => controller.abort(EXECUTION_TIMEOUT_ERROR), timeoutMs);
  const running = run(controller.signal);
  const settled = running.then(
    () => undefined,
    () => undefined,
  );
  const aborted = new Promise<{ ok: false; error: AppSyncError; settled: Promise<void> }>((resolve) => {
    controller.signal.addEventListener('abort', () => resolve({ ok: false, error: controller.signal.reason as AppSyncError, settled }), {
      once: true,
    });
  });
  try {
    return await Promise.race([running.then((value) => ({ ok: true as const, value })), aborted]);
  } finally {
    clearTimeout(timer);
    res.off('close', onClose);
  }
}

export function createGraphQLHandler(options: GraphQLEndpointOptions) {
  const { appSchema, auth, limits, documents, graphqlPath, logger } = options;

  async function fanOut(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    data: Record<string, unknown> | null | undefined,
  ): Promise<void> {
    if (!data) return;
    const fragments = fragmentsOf(document);
    for (const field of rootFields(operation.selectionSet, fragments)) {
      const value = data[field.alias?.value ?? field.name.value];
      if (!isRecord(value)) continue;
      const payload = projectSelectedFields(value, field.selectionSet, fragments);
      if (!isRecord(payload)) continue;
      try {
        await options.publish(field.name.value, payload);
      } catch (error) {
        logger.error('publishing a mutation result failed', {
          mutation: field.name.value,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  async function handleGraphQL(req: IncomingMessage, res: ServerResponse, url: URL): Promise<number> {
    const body = await readBody(req, limits.maxRequestBytes);
    if (body === null) {
      send(res, 413, requestError('PayloadTooLargeException', 'Request body is too large.'));
      return 413;
    }
    const headers = headerRecord(req);
    const authentication = await authenticate(
      auth,
      { method: req.method ?? 'POST', path: url.pathname, query: queryRecord(url), headers, body },
      sourceIpOf(req),
    );
    if (!authentication.ok) {
      send(res, 401, requestError('UnauthorizedException', authentication.message));
      return 401;
    }
    if (body.length === 0) {
      send(res, 400, requestError('MalformedHttpRequestException', 'Request body is empty.'));
      return 400;
    }
    const request = readRequest(body);
    const prepared = request ? documents.prepare(request.query) : null;
    if (!request || !prepared) {
      send(res, 400, requestError('MalformedHttpRequestException', 'Unable to parse GraphQL query.'));
      return 400;
    }
    const { document } = prepared;
    if (prepared.errors.length > 0) {
      send(res, 200, { data: null, errors: prepared.errors });
      return 200;
    }
    const operation = getOperationAST(document, request.operationName);
    if (!operation) {
      const message = request.operationName
        ? `Unknown operation named '${request.operationName}'.`
        : 'Must provide operation name if query contains multiple operations.';
      send(res, 400, requestError('BadRequestException', message));
      return 400;
    }
    if (operation.operation === 'subscription') {
      send(res, 400, requestError('UnsupportedOperation', 'subscription not supported through the HTTP channel; use the realtime endpoint'));
      return 400;
    }
    const coerced = coerceVariables(appSchema.schema, operation.variableDefinitions ?? [], request.variables);
    if ('errors' in coerced) {
      send(res, 200, { data: null, errors: coerced.errors });
      return 200;
    }
    const rootType = operation.operation === 'mutation' ? appSchema.schema.getMutationType() : appSchema.schema.getQueryType();
    const certain = certainResolverCount(document, operation, rootType?.name ?? '', appSchema.hasResolver);
    const rootFieldNames = rootFields(operation.selectionSet, fragmentsOf(document)).map((field) => field.name.value);
    if (rootType && iamDenies(auth, authentication.caller, rootType.name, rootFieldNames)) {
      send(res, 401, requestError('UnauthorizedException', IAM_PERMISSION_DENIED));
      return 401;
    }
    if (certain > limits.resolverCountLimit) {
      // Its root fields alone would invoke more resolvers than allowed: refused before any of them runs.
      send(res, 200, { data: null, errors: [operationError(RESOLVER_LIMIT_ERROR)] });
      logger.warn('resolver count limit', { resolvers: certain, limit: limits.resolverCountLimit });
      return 200;
    }

    const outcome = await withinLimits(res, limits.executionTimeoutMs, async (signal) => {
      const context = operationContext(authentication.caller, headers, 'execute', signal);
      const result: ExecutionResult = await execute({
        schema: appSchema.schema,
        document,
        contextValue: context,
        variableValues: request.variables,
        operationName: request.operationName,
      });
      return { context, result };
    });
    if (!outcome.ok) {
      void outcome.settled.then(() => logger.info('stopped operation settled', { operation: operation.operation }));
      if (res.destroyed) {
        logger.info('client went away; operation stopped', { operation: operation.operation });
        return 499;
      }
      send(res, 200, { data: null, errors: [operationError(outcome.error)] });
      logger.warn('operation stopped', { operation: operation.operation, errorType: outcome.error.errorType });
      return 200;
    }
    const { context, result } = outcome.value;
    const errors = [...(result.errors ?? []).map(formatExecutionError), ...context.appendedErrors];
    if (operation.operation === 'mutation') await fanOut(document, operation, result.data);
    for (const { subscriptionField, payload } of context.invalidations) options.invalidate(subscriptionField, payload);
    for (const [name, value] of Object.entries(context.responseHeaders)) res.setHeader(name, value);
    send(res, 200, errors.length > 0 ? { data: result.data ?? null, errors } : { data: result.data ?? null });
    logger.debug('graphql operation', {
      operation: operation.operation,
      operationName: operation.name?.value ?? null,
      authMode: authentication.caller.mode,
      resolvers: context.resolverInvocations,
      errors: errors.length,
    });
    return 200;
  }

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const requestId = randomUUID();
    res.setHeader('x-amzn-requestid', requestId);
    corsHeaders(res);
    const url = new URL(req.url ?? '/', 'http://localhost');
    let status = 500;
    try {
      if (req.method === 'OPTIONS') {
        res.writeHead(200, {
          'access-control-allow-methods': 'GET, POST, OPTIONS',
          'access-control-allow-headers': CORS_ALLOW_HEADERS,
          'access-control-max-age': '86400',
          'content-length': '0',
        });
        res.end();
        status = 200;
      } else if (url.pathname !== graphqlPath) {
        send(res, 404, requestError('NotFoundException', `No GraphQL endpoint at ${url.pathname}; POST to ${graphqlPath}.`));
        status = 404;
      } else if (req.method !== 'POST') {
        res.setHeader('allow', 'POST, OPTIONS');
        send(res, 405, requestError('MethodNotAllowedException', 'Only POST is supported; send {"query": ...} as JSON.'));
        status = 405;
      } else {
        status = await handleGraphQL(req, res, url);
      }
    } catch (error) {
      logger.error('graphql request failed', { error: error instanceof Error ? error.stack : String(error) });
      if (!res.headersSent) send(res, 500, requestError('InternalFailure', 'An internal failure occurred.'));
    } finally {
      logger.info('http request', {
        method: req.method,
        path: url.pathname,
        status,
        durationMs: Date.now() - started,
        requestId,
      });
    }
  };
}
