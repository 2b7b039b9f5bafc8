// The `util`, `runtime` and `extensions` objects a resolver sees, and its `console`.
// Methods that act on the current field (errors, filters, headers) write to the current InvocationState.
import { currentInvocation } from '../invocation.ts';
import { assertKnownOperators } from '../subscription-filter.ts';
import { EarlyReturn, ResolverError } from '../signals.ts';
import type { SubscriptionFilter } from '../types.ts';
import { base64Decode, base64Encode, escapeJavaScript, urlDecode, urlEncode, xmlToMap } from './encoding.ts';
import { dynamodbUtil } from './dynamodb.ts';
import { ksuid, ulid, uuidV4 } from './ids.ts';
import { formatEpochMillis, parseIso8601, parseToEpochMillis, toIso8601 } from './time.ts';
import { transformUtil } from './transform.ts';

export interface RuntimeLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface UtilOptions {
  /** Epoch milliseconds; tests pass a fixed clock. */
  now: () => number;
  logger: RuntimeLogger;
}

/** What util.error gives when no errorType is passed (AppSync's default for template errors). */
export const DEFAULT_ERROR_TYPE = 'CustomTemplateException';

/** Headers util.http.copyHeaders leaves out, as AppSync's restricted list. */
const RESTRICTED_HEADERS = ['authorization', 'host', 'content-length', 'connection', 'expect', 'keep-alive', 'proxy-authorization', 'te', 'transfer-encoding', 'upgrade', 'x-api-key', 'cookie'];

/**
 * The identity keys each authorization mode gives ctx.identity (`keys`), and those it always fills (`required`).
 * As AppSync's EvaluateCode answers util.authType(): an identity is of a mode when all its keys belong to that
 * mode and every required one is there and not null; anything else, no identity included, is an API key.
 * An identity with no keys at all is a Lambda authorizer's that returned no resolverContext.
 */
const IDENTITY_MODES: ReadonlyArray<{ authType: string; keys: readonly string[]; required: readonly string[] }> = [
  {
    authType: 'IAM Authorization',
    keys: ['accountId', 'cognitoIdentityPoolId', 'cognitoIdentityId', 'sourceIp', 'username', 'userArn', 'cognitoIdentityAuthType', 'cognitoIdentityAuthProvider'],
    required: ['accountId', 'sourceIp', 'username', 'userArn'],
  },
  {
    authType: 'User Pool Authorization',
    keys: ['sourceIp', 'username', 'groups', 'sub', 'issuer', 'claims', 'defaultAuthStrategy'],
    required: ['sourceIp', 'username', 'sub', 'issuer', 'claims', 'defaultAuthStrategy'],
  },
  { authType: 'Open ID Connect Authorization', keys: ['sub', 'issuer', 'claims'], required: ['sub', 'issuer', 'claims'] },
  { authType: 'Lambda Authorization', keys: ['resolverContext'], required: [] },
];

function authTypeOf(identity: unknown): string {
  if (typeof identity !== 'object' || identity === null || Array.isArray(identity)) return 'API Key Authorization';
  const id = identity as Record<string, unknown>;
  const keys = Object.keys(id);
  const mode = IDENTITY_MODES.find(
    (m) => keys.every((k) => m.keys.includes(k)) && m.required.every((k) => id[k] !== null && id[k] !== undefined),
  );
  return mode?.authType ?? 'API Key Authorization';
}

function notSupported(name: string): () => never {
  return () => {
    throw new Error(`${name} is not supported by the local AppSync runtime`);
  };
}

export function createUtil({ now }: UtilOptions) {
  const time = {
    nowISO8601: () => toIso8601(now()),
    nowEpochSeconds: () => Math.floor(now() / 1000),
    nowEpochMilliSeconds: () => now(),
    nowFormatted: (format: string, timezone?: string) => formatEpochMillis(now(), format, timezone),
    parseFormattedToEpochMilliSeconds: (timestamp: string, format: string, timezone?: string) => parseToEpochMillis(timestamp, format, timezone),
    parseISO8601ToEpochMilliSeconds: (timestamp: string) => parseIso8601(timestamp),
    epochMilliSecondsToSeconds: (ms: number) => Math.floor(ms / 1000),
    epochMilliSecondsToISO8601: (ms: number) => toIso8601(ms),
    epochMilliSecondsToFormatted: (ms: number, format: string, timezone?: string) => formatEpochMillis(ms, format, timezone),
  };
  return {
    escapeJavaScript,
    urlEncode,
    urlDecode,
    base64Encode,
    base64Decode,
    autoId: uuidV4,
    autoUlid: () => ulid(now()),
    autoKsuid: () => ksuid(now()),
    unauthorized(): never {
      const { typeName, fieldName } = currentInvocation('util.unauthorized');
      // Outside a field (EvaluateCode) AppSync answers "Unauthorized".
      const message = fieldName ? `Not Authorized to access ${fieldName} on type ${typeName}` : 'Unauthorized';
      throw new ResolverError({ message, errorType: 'Unauthorized', data: null, errorInfo: null });
    },
    error(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): never {
      currentInvocation('util.error');
      throw new ResolverError({ message: String(message), errorType: errorType ?? DEFAULT_ERROR_TYPE, data: data ?? null, errorInfo: errorInfo ?? null });
    },
    appendError(message: string, errorType?: string, data?: unknown, errorInfo?: unknown): void {
      currentInvocation('util.appendError').appendedErrors.push({
        message: String(message),
        errorType: errorType ?? DEFAULT_ERROR_TYPE,
        data: data ?? null,
        errorInfo: errorInfo ?? null,
      });
    },
    /** java.util.regex.Pattern.matches: the whole value must match. */
    matches: (pattern: string, value: string) => new RegExp(`^(?:${pattern})$`).test(String(value)),
    authType: () => authTypeOf(currentInvocation('util.authType').identity),
    time,
    dynamodb: dynamodbUtil,
    transform: transformUtil,
    math: {
      roundNum: (n: number) => Math.round(n),
      minVal: (a: number, b: number) => Math.min(a, b),
      maxVal: (a: number, b: number) => Math.max(a, b),
      randomDouble: () => Math.random(),
      randomWithinRange: (start: number, end: number) => Math.floor(start + Math.random() * (end - start + 1)),
    },
    str: {
      normalize: (value: string, form: string) => String(value).normalize(String(form).toUpperCase()),
    },
    http: {
      copyHeaders(headers: Record<string, unknown>) {
        return Object.fromEntries(Object.entries(headers ?? {}).filter(([name]) => !RESTRICTED_HEADERS.includes(name.toLowerCase())));
      },
      addResponseHeader(name: string, value: unknown) {
        const lower = String(name).toLowerCase();
        if (lower.startsWith('x-amz-') || lower.startsWith('x-amzn-')) {
          throw new Error(`Response header ${name} uses a restricted prefix`);
        }
        currentInvocation('util.http.addResponseHeader').responseHeaders[name] = typeof value === 'string' ? value : JSON.stringify(value);
      },
      addResponseHeaders(headers: Record<string, unknown>) {
        for (const [name, value] of Object.entries(headers ?? {})) this.addResponseHeader(name, value);
      },
    },
    xml: {
      toMap: (xml: string) => xmlToMap(xml),
      toJsonString: (xml: string, stringEncode?: boolean) => {
        const json = JSON.stringify(xmlToMap(xml));
        return stringEncode ? JSON.stringify(json) : json;
      },
    },
    rds: {
      toJsonString: notSupported('util.rds.toJsonString'),
      toJsonObject: notSupported('util.rds.toJsonObject'),
    },
  };
}

export type Util = ReturnType<typeof createUtil>;

export function createRuntime() {
  return {
    earlyReturn(value?: unknown, options?: { skipTo?: 'END' | 'NEXT' }): never {
      currentInvocation('runtime.earlyReturn');
      throw new EarlyReturn(value === undefined ? null : value, options?.skipTo ?? 'NEXT');
    },
  };
}

export function createExtensions() {
  return {
    setSubscriptionFilter(filter: SubscriptionFilter) {
      const state = currentInvocation('extensions.setSubscriptionFilter');
      assertKnownOperators(filter);
      state.subscriptionFilter = filter;
    },
    setSubscriptionInvalidationFilter(filter: SubscriptionFilter) {
      const state = currentInvocation('extensions.setSubscriptionInvalidationFilter');
      assertKnownOperators(filter);
      state.invalidationFilter = filter;
    },
    invalidateSubscriptions(invalidation: { subscriptionField: string; payload: Record<string, unknown> }) {
      currentInvocation('extensions.invalidateSubscriptions').invalidations.push(invalidation);
    },
    evictFromApiCache(typeName: string, fieldName: string, keys: Record<string, unknown>) {
      currentInvocation('extensions.evictFromApiCache').cacheEvictions.push({ typeName, fieldName, keys });
    },
  };
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A plain console whose lines go to the runtime's logger, tagged with the resolver they came from. */
export function createConsole(logger: RuntimeLogger, source: string) {
  const line = (level: keyof RuntimeLogger) => (...args: unknown[]) => logger[level](args.map(describe).join(' '), { resolver: source });
  return { log: line('info'), info: line('info'), debug: line('debug'), warn: line('warn'), error: line('error') };
}
