// The API's settings from amplify_outputs.json (Amplify Gen 2's client configuration): the GraphQL endpoint, its
// realtime endpoint, the region, the authorization modes, the user pool, and an API key when the API has one.
import type { AuthMode } from './auth.js';
import { ImageLabelsError } from './errors.js';

export interface UserPoolSettings {
  region: string;
  userPoolId: string;
  userPoolClientId: string;
  /** Where the user pool answers: AWS's endpoint of its region, or custom.userPoolEndpoint (the local cloud's). */
  endpoint: string;
}

export interface ApiConfig {
  graphqlUrl: string;
  realtimeUrl: string;
  region: string;
  defaultAuthMode: AuthMode;
  authModes: AuthMode[];
  userPool: UserPoolSettings | null;
  apiKey: string | null;
  /** PEM of a certificate to trust for the endpoint (custom.tlsCertificate: the local cloud's self-signed one). */
  tlsCertificate: string | null;
}

type Json = Record<string, unknown>;

const AUTH_MODES: readonly AuthMode[] = ['AMAZON_COGNITO_USER_POOLS', 'AWS_IAM', 'API_KEY'];

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function authMode(value: unknown): AuthMode | null {
  return AUTH_MODES.find((mode) => mode === value) ?? null;
}

/**
 * AppSync's realtime URL: the `appsync-realtime-api` host for the default domain, `<endpoint>/realtime` otherwise
 * (custom domains, the local cloud).
 */
export function realtimeUrlFor(graphqlUrl: string): string {
  const url = new URL(graphqlUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (/\.appsync-api\.[^.]+\.amazonaws\.com$/.test(url.hostname)) {
    url.hostname = url.hostname.replace('.appsync-api.', '.appsync-realtime-api.');
  } else {
    url.pathname = `${url.pathname.replace(/\/$/, '')}/realtime`;
  }
  url.search = '';
  return url.href;
}

/** Reads the parsed JSON of amplify_outputs.json; throws ImageLabelsError (Config, InvalidConfig) naming what is missing. */
export function configFromAmplifyOutputs(outputs: unknown): ApiConfig {
  const invalid = (what: string) => new ImageLabelsError('Config', 'InvalidConfig', `Not a usable amplify_outputs.json: ${what}`);
  if (!isObject(outputs)) throw invalid('it is not a JSON object');
  const data = isObject(outputs.data) ? outputs.data : null;
  const graphqlUrl = text(data?.url);
  if (!data || !graphqlUrl || !URL.canParse(graphqlUrl)) throw invalid('data.url (the GraphQL endpoint) is missing');
  const region = text(data.aws_region);
  if (!region) throw invalid('data.aws_region is missing');
  const defaultAuthMode = authMode(data.default_authorization_type);
  if (!defaultAuthMode) throw invalid('data.default_authorization_type is missing or unknown');
  const additional = Array.isArray(data.authorization_types) ? data.authorization_types.map(authMode) : [];
  const authModes = [defaultAuthMode, ...additional.filter((mode): mode is AuthMode => mode !== null && mode !== defaultAuthMode)];

  const custom = isObject(outputs.custom) ? outputs.custom : {};
  const auth = isObject(outputs.auth) ? outputs.auth : null;
  let userPool: UserPoolSettings | null = null;
  if (auth) {
    const poolRegion = text(auth.aws_region);
    const userPoolId = text(auth.user_pool_id);
    const userPoolClientId = text(auth.user_pool_client_id);
    if (!poolRegion || !userPoolId || !userPoolClientId) {
      throw invalid('auth needs aws_region, user_pool_id and user_pool_client_id');
    }
    const endpoint = text(custom.userPoolEndpoint) ?? `https://cognito-idp.${poolRegion}.amazonaws.com/`;
    if (!URL.canParse(endpoint)) throw invalid(`the user pool endpoint ${endpoint} is not a URL`);
    userPool = { region: poolRegion, userPoolId, userPoolClientId, endpoint };
  }
  return {
    graphqlUrl,
    realtimeUrl: realtimeUrlFor(graphqlUrl),
    region,
    defaultAuthMode,
    authModes,
    userPool,
    apiKey: text(data.api_key),
    tlsCertificate: text(custom.tlsCertificate),
  };
}
