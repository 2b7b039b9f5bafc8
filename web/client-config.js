// @ts-check
// Where the page signs in and what it calls: amplify_outputs.json (Amplify Gen 2's format) from the page's own
// origin, or from `?config=<url>`; `?endpoint=` overrides the GraphQL endpoint.
import { realtimeUrlFor } from '../client/dist/index.js';
import { ApiError, errorMessage, isRecord } from './errors.js';

export const OUTPUTS_PATH = '/amplify_outputs.json';

/**
 * @typedef {{ region: string, userPoolId: string, clientId: string, endpoint: string }} UserPoolSettings
 * @typedef {{ minLength: number, requireNumbers: boolean, requireLowercase: boolean, requireUppercase: boolean,
 *   requireSymbols: boolean }} PasswordPolicy
 * @typedef {{ graphqlUrl: string, realtimeUrl: string, userPool: UserPoolSettings,
 *   passwordPolicy: PasswordPolicy | null, configUrl: string }} ClientConfig
 */

/**
 * Reads the client configuration the page's address points at.
 * @param {URL} pageUrl
 * @param {typeof fetch} [fetchImpl]
 * @returns {Promise<ClientConfig>}
 */
export async function loadClientConfig(pageUrl, fetchImpl = fetch) {
  const configParam = pageUrl.searchParams.get('config');
  const configUrl = new URL(configParam ?? OUTPUTS_PATH, pageUrl).href;
  let response;
  try {
    response = await fetchImpl(configUrl, { cache: 'no-store', credentials: 'omit' });
  } catch (cause) {
    throw new ApiError('Config', 'NetworkError', `Cannot read ${configUrl}: ${errorMessage(cause)}`);
  }
  if (!response.ok) {
    throw new ApiError('Config', `HTTP ${response.status}`, `Cannot read ${configUrl}: HTTP ${response.status}`, {
      details: ['Start the local cloud with `npm start`, or point ?config= at an amplify_outputs.json.'],
    });
  }
  /** @type {unknown} */
  const outputs = await response.json().catch(() => null);
  return clientConfigFrom(outputs, { pageUrl, configUrl, fromParam: configParam !== null });
}

/**
 * The GraphQL endpoint is `?endpoint=`, else the outputs' `data.url` when `?config=` named them (a deployed API),
 * else `/graphql` on the page's own origin: the local cloud's outputs name its TLS port, for Amplify's sake.
 * @param {unknown} outputs
 * @param {{ pageUrl: URL, configUrl: string, fromParam: boolean }} where
 * @returns {ClientConfig}
 */
export function clientConfigFrom(outputs, { pageUrl, configUrl, fromParam }) {
  const invalid = (/** @type {string} */ what) =>
    new ApiError('Config', 'InvalidConfig', `${configUrl} is not a usable amplify_outputs.json: ${what}`);
  if (!isRecord(outputs) || !isRecord(outputs.auth)) throw invalid('it has no auth section');
  const { auth } = outputs;
  const region = auth.aws_region;
  const userPoolId = auth.user_pool_id;
  const clientId = auth.user_pool_client_id;
  if (typeof region !== 'string' || !region) throw invalid('auth.aws_region is missing');
  if (typeof userPoolId !== 'string' || !userPoolId) throw invalid('auth.user_pool_id is missing');
  if (typeof clientId !== 'string' || !clientId) throw invalid('auth.user_pool_client_id is missing');

  const custom = isRecord(outputs.custom) ? outputs.custom : {};
  const endpoint = typeof custom.userPoolEndpoint === 'string' && custom.userPoolEndpoint
    ? custom.userPoolEndpoint
    : `https://cognito-idp.${region}.amazonaws.com/`;
  if (!URL.canParse(endpoint)) throw invalid(`the user pool endpoint ${endpoint} is not a URL`);

  const dataUrl = isRecord(outputs.data) && typeof outputs.data.url === 'string' ? outputs.data.url : null;
  const graphqlUrl = pageUrl.searchParams.get('endpoint') ??
    (fromParam && dataUrl ? dataUrl : new URL('/graphql', pageUrl.origin).href);
  if (!URL.canParse(graphqlUrl)) throw invalid(`the GraphQL endpoint ${graphqlUrl} is not a URL`);

  return {
    graphqlUrl,
    realtimeUrl: realtimeUrlFor(graphqlUrl),
    userPool: { region, userPoolId, clientId, endpoint },
    passwordPolicy: passwordPolicyOf(auth.password_policy),
    configUrl,
  };
}

/** @param {unknown} value @returns {PasswordPolicy | null} */
function passwordPolicyOf(value) {
  if (!isRecord(value) || typeof value.min_length !== 'number') return null;
  return {
    minLength: value.min_length,
    requireNumbers: value.require_numbers === true,
    requireLowercase: value.require_lowercase === true,
    requireUppercase: value.require_uppercase === true,
    requireSymbols: value.require_symbols === true,
  };
}

/**
 * The pool's password rules in a sentence, for the sign-up form and InvalidPasswordException.
 * @param {PasswordPolicy | null} policy
 */
export function passwordRules(policy) {
  if (!policy) return 'The user pool sets the password rules.';
  const needs = [
    policy.requireLowercase ? 'a lower-case letter' : null,
    policy.requireUppercase ? 'an upper-case letter' : null,
    policy.requireNumbers ? 'a digit' : null,
    policy.requireSymbols ? 'a symbol' : null,
  ].filter((need) => need !== null);
  const length = `at least ${policy.minLength} characters`;
  if (!needs.length) return `Passwords need ${length}.`;
  const last = needs.pop();
  return `Passwords need ${length}, with ${needs.length ? `${needs.join(', ')} and ${last}` : last}.`;
}
