// Where the page signs in and what it calls, from amplify_outputs.json and the page's address (web/client-config.js).
import { describe, expect, it } from 'vitest';
import { amplifyOutputs } from '../../infra/amplify-outputs.ts';
import { clientConfigFrom, loadClientConfig, passwordRules } from '../../web/client-config.js';
import { ApiError } from '../../web/errors.js';

const LOCAL_OUTPUTS = amplifyOutputs({
  region: 'us-east-1',
  userPoolId: 'us-east-1_LocalPool',
  userPoolClientId: 'localclient',
  graphqlUrl: 'https://127.0.0.1:20003/graphql',
  userPoolEndpoint: 'http://127.0.0.1:4571',
});
const DEPLOYED_OUTPUTS = amplifyOutputs({
  region: 'eu-west-1',
  userPoolId: 'eu-west-1_AbC123',
  userPoolClientId: 'deployedclient',
  graphqlUrl: 'https://abc123.appsync-api.eu-west-1.amazonaws.com/graphql',
});

const at = (page: string, outputs: unknown = LOCAL_OUTPUTS) => {
  const pageUrl = new URL(page);
  return clientConfigFrom(outputs, { pageUrl, configUrl: 'config', fromParam: pageUrl.searchParams.has('config') });
};

describe('client configuration', () => {
  it("signs in at the local pool's endpoint and calls /graphql on the page's own origin, not the outputs' TLS port", () => {
    const config = at('http://127.0.0.1:20002/');

    expect(config.userPool).toEqual({ region: 'us-east-1', userPoolId: 'us-east-1_LocalPool', clientId: 'localclient', endpoint: 'http://127.0.0.1:4571' });
    expect(config.graphqlUrl).toBe('http://127.0.0.1:20002/graphql');
    expect(config.realtimeUrl).toBe('ws://127.0.0.1:20002/graphql/realtime');
    expect(config.passwordPolicy).toEqual({ minLength: 8, requireNumbers: true, requireLowercase: true, requireUppercase: true, requireSymbols: true });
  });

  it("signs in at AWS's regional Cognito endpoint and calls the outputs' API when ?config= names a deployed stack's outputs", () => {
    const config = at('http://127.0.0.1:20002/?config=https://example.com/amplify_outputs.json', DEPLOYED_OUTPUTS);

    expect(config.userPool.endpoint).toBe('https://cognito-idp.eu-west-1.amazonaws.com/');
    expect(config.graphqlUrl).toBe('https://abc123.appsync-api.eu-west-1.amazonaws.com/graphql');
    expect(config.realtimeUrl).toBe('wss://abc123.appsync-realtime-api.eu-west-1.amazonaws.com/graphql');
  });

  it('calls the API ?endpoint= names', () => {
    const config = at('http://127.0.0.1:20002/?endpoint=https://api.example.com/graphql');

    expect(config.graphqlUrl).toBe('https://api.example.com/graphql');
    expect(config.realtimeUrl).toBe('wss://api.example.com/graphql/realtime');
  });

  it.each([
    ['not an object', null, 'it has no auth section'],
    ['no user pool id', { auth: { aws_region: 'us-east-1', user_pool_client_id: 'c' } }, 'auth.user_pool_id is missing'],
    ['no client id', { auth: { aws_region: 'us-east-1', user_pool_id: 'us-east-1_A' } }, 'auth.user_pool_client_id is missing'],
    ['an endpoint that is not a URL', { ...LOCAL_OUTPUTS, custom: { userPoolEndpoint: 'not a url' } }, 'is not a URL'],
  ])('refuses outputs with %s', (_case, outputs, why) => {
    expect(() => at('http://127.0.0.1:20002/', outputs)).toThrow(why);
  });

  it('reads /amplify_outputs.json from the page\'s origin and says so when it is missing', async () => {
    const asked: string[] = [];
    const missing = async (input: string | URL | Request) => {
      asked.push(String(input));
      return new Response('Not found', { status: 404 });
    };

    const error = await loadClientConfig(new URL('http://127.0.0.1:20002/?x=1'), missing).catch((e: unknown) => e);

    expect(asked).toEqual(['http://127.0.0.1:20002/amplify_outputs.json']);
    expect(error).toBeInstanceOf(ApiError);
    expect([(error as ApiError).source, (error as ApiError).type]).toEqual(['Config', 'HTTP 404']);
  });

  it('writes the password policy as a sentence', () => {
    expect(passwordRules(at('http://127.0.0.1:20002/').passwordPolicy))
      .toBe('Passwords need at least 8 characters, with a lower-case letter, an upper-case letter, a digit and a symbol.');
    expect(passwordRules({ minLength: 12, requireNumbers: true, requireLowercase: false, requireUppercase: false, requireSymbols: false }))
      .toBe('Passwords need at least 12 characters, with a digit.');
    expect(passwordRules(null)).toBe('The user pool sets the password rules.');
  });

});
