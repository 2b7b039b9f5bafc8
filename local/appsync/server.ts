// The local AppSync endpoint: GraphQL over HTTP(S) at /graphql and AppSync's realtime WebSocket at
// /graphql/realtime, authorized by the API's modes (API key, IAM (SigV4), Cognito user pools) and bounded by
// AppSync's limits, on one or two ports (plain and TLS).
// Resolvers run in the ResolverRuntime given by the caller; this file only wires the pieces together.
import { readFile } from 'node:fs/promises';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { checkAuthConfig, DEFAULT_AUTH_MODE, type AuthConfig, type AuthMode, type IamConfig } from './auth.ts';
import { createGraphQLHandler } from './graphql-endpoint.ts';
import { DocumentCache } from './documents.ts';
import { introspectionDisabledRule, resolveLimits, type AppSyncLimits } from './limits.ts';
import { silentLogger, type AppSyncLogger } from './logger.ts';
import { RealtimeServer } from './realtime.ts';
import { matchesSubscriptionFilter } from './runtime/subscription-filter.ts';
import type { ResolverRuntime } from './runtime/types.ts';
import { buildAppSyncSchema } from './schema.ts';
import { SubscriptionRegistry } from './subscriptions.ts';
import { generateSelfSignedCertificate, writeCertificate, type TlsMaterial } from './tls.ts';
import { createUserPoolVerifier, type UserPoolConfig } from './user-pool-auth.ts';
import { closeServer, listen, urlHost } from '../net.ts';

export const GRAPHQL_PATH = '/graphql';
export const REALTIME_PATH = '/graphql/realtime';

export interface AppSyncServerOptions {
  /** schema.graphql: the API's schema as deployed (AppSync's scalars and directives undeclared). */
  schemaPath: string;
  /** Declares AppSync's scalars and directives for graphql-js (graphql/aws-appsync.graphql). */
  preamblePath: string;
  runtime: ResolverRuntime;
  /** The API's default authorization mode (authenticationType). Default API_KEY. */
  defaultAuthMode?: AuthMode;
  /** additionalAuthenticationProviders. Default: AWS_IAM when `iam` is given (and is not the default). */
  additionalAuthModes?: AuthMode[];
  /** Accepted `x-api-key` values (API_KEY mode). */
  apiKeys?: string[];
  /** The one IAM principal that may sign requests (AWS_IAM mode), and the account/region it belongs to. */
  iam?: IamConfig;
  /** The user pool whose tokens are accepted (AMAZON_COGNITO_USER_POOLS mode). */
  userPool?: UserPoolConfig;
  /** AppSync's limits; each defaults to AppSync's own (see limits.ts). */
  limits?: Partial<AppSyncLimits>;
  /** Interface to listen on; default 127.0.0.1. */
  host?: string;
  /** Plain HTTP/WS port; 0 (default) picks a free port. */
  port?: number;
  /** Serve HTTPS/WSS as well, with this key and certificate, or a self-signed one generated now. */
  tls?: TlsMaterial | 'self-signed';
  /** TLS port; 0 (default) picks a free port. */
  httpsPort?: number;
  /** Write the TLS certificate (PEM, never the key) here so clients can trust it (NODE_EXTRA_CA_CERTS). */
  certificatePath?: string;
  logger?: AppSyncLogger;
  /**
   * Answers requests that are not for the GraphQL endpoint, e.g. the demo page at `/` on the same origin.
   * Called first; returns true when it answered, false to leave the request to the endpoint.
   */
  serveOther?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Interval of `ka` messages on realtime connections; default 60 s. */
  keepAliveIntervalMs?: number;
  /** Close realtime connections that send neither connection_init nor start within this time; default 15 s. */
  connectionInitTimeoutMs?: number;
}

export interface AppSyncServer {
  graphqlUrl: string;
  realtimeUrl: string;
  httpsGraphqlUrl?: string;
  wssRealtimeUrl?: string;
  /** The TLS certificate (PEM) when TLS is on. */
  certificatePem?: string;
  /**
   * Fans a mutation result out to subscribers, as if `mutationField` had just returned `payload` with all
   * of payload's fields selected. Mutations over HTTP do this by themselves. Returns the number of deliveries.
   */
  publish(mutationField: string, payload: Record<string, unknown>): Promise<number>;
  close(): Promise<void>;
}

export async function startAppSyncServer(options: AppSyncServerOptions): Promise<AppSyncServer> {
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const [preamble, schemaSdl] = await Promise.all([
    readFile(options.preamblePath, 'utf8'),
    readFile(options.schemaPath, 'utf8'),
  ]);
  const limits = resolveLimits(options.limits);
  const defaultMode = options.defaultAuthMode ?? DEFAULT_AUTH_MODE;
  const auth: AuthConfig = {
    defaultMode,
    additionalModes: options.additionalAuthModes ?? (options.iam && defaultMode !== 'AWS_IAM' ? ['AWS_IAM'] : []),
    apiKeys: options.apiKeys ?? [],
    iam: options.iam,
    userPool: options.userPool ? createUserPoolVerifier(options.userPool) : undefined,
  };
  checkAuthConfig(auth);
  const appSchema = buildAppSyncSchema(`${preamble}\n${schemaSdl}`, options.runtime, {
    defaultAuthMode: defaultMode,
    resolverCountLimit: limits.resolverCountLimit,
    queryDepthLimit: limits.queryDepthLimit,
  });
  const registry = new SubscriptionRegistry(appSchema, matchesSubscriptionFilter, logger, limits.maxRealtimeMessageBytes);
  const documents = new DocumentCache({
    schema: appSchema.schema,
    extraRules: limits.introspectionConfig === 'DISABLED' ? [{ rule: introspectionDisabledRule, type: 'FieldUndefined' }] : [],
    maxTokens: limits.maxQueryTokens,
  });
  const publish = (mutationField: string, payload: Record<string, unknown>): Promise<number> =>
    registry.publish(mutationField, payload);

  const handler = createGraphQLHandler({
    appSchema,
    auth,
    limits,
    documents,
    graphqlPath: GRAPHQL_PATH,
    publish,
    invalidate: (subscriptionField, payload) => registry.invalidate(subscriptionField, payload),
    logger,
  });
  const realtime = new RealtimeServer({
    appSchema,
    auth,
    limits,
    documents,
    runtime: options.runtime,
    registry,
    graphqlPath: GRAPHQL_PATH,
    logger,
    keepAliveIntervalMs: options.keepAliveIntervalMs ?? 60_000,
    connectionInitTimeoutMs: options.connectionInitTimeoutMs ?? 15_000,
  });

  const servers: Array<HttpServer | HttpsServer> = [];
  const attach = (server: HttpServer | HttpsServer): void => {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      try {
        if (options.serveOther?.(req, res)) return;
      } catch (error) {
        logger.error('serving a non-GraphQL request failed', { path: req.url, error: String(error) });
        if (!res.headersSent) res.writeHead(500);
        res.end();
        return;
      }
      void handler(req, res);
    });
    server.on('upgrade', (req, socket, head) => {
      if (!realtime.handleUpgrade(req, socket, head)) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      }
    });
    servers.push(server);
  };

  const close = async (): Promise<void> => {
    await realtime.close();
    await Promise.all(servers.map(closeServer));
  };

  try {
    const http = createHttpServer();
    attach(http);
    const port = await listen(http, options.port ?? 0, host);
    const base = `${urlHost(host)}:${port}`;
    const result: AppSyncServer = {
      graphqlUrl: `http://${base}${GRAPHQL_PATH}`,
      realtimeUrl: `ws://${base}${REALTIME_PATH}`,
      publish,
      close,
    };

    if (options.tls) {
      const material = options.tls === 'self-signed' ? await generateSelfSignedCertificate() : options.tls;
      if (options.certificatePath) await writeCertificate(options.certificatePath, material.cert);
      const https = createHttpsServer({ key: material.key, cert: material.cert });
      attach(https);
      const httpsPort = await listen(https, options.httpsPort ?? 0, host);
      const tlsBase = `${urlHost(host)}:${httpsPort}`;
      result.httpsGraphqlUrl = `https://${tlsBase}${GRAPHQL_PATH}`;
      result.wssRealtimeUrl = `wss://${tlsBase}${REALTIME_PATH}`;
      result.certificatePem = material.cert;
    }
    logger.info('appsync listening', {
      graphqlUrl: result.graphqlUrl,
      realtimeUrl: result.realtimeUrl,
      httpsGraphqlUrl: result.httpsGraphqlUrl,
      wssRealtimeUrl: result.wssRealtimeUrl,
    });
    return result;
  } catch (error) {
    await close();
    throw error;
  }
}
