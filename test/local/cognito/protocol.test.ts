import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, CLIENT_ID, PASSWORD, startTestPool, type TestPool } from './support/pool.ts';
import { MAX_BODY_BYTES } from '../../../local/cognito/server.ts';

let pool: TestPool;
let endpoint: string;

beforeAll(async () => {
  pool = await startTestPool();
  endpoint = pool.server.endpoint;
});

afterAll(() => pool.remove());

describe('the AWS JSON 1.1 protocol', () => {
  it('answers errors with HTTP 400, the type in __type and in x-amzn-errortype, and a request id', async () => {
    const reply = await call(endpoint, 'InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', ClientId: CLIENT_ID, AuthParameters: { USERNAME: 'nobody@example.com', PASSWORD } });
    expect(reply.status).toBe(400);
    expect(reply.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(reply.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException');
    expect(reply.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(reply.json).toEqual({ __type: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('names an action it does not emulate in a clear refusal', async () => {
    const reply = await call(endpoint, 'ForgotPassword', { ClientId: CLIENT_ID, Username: 'alice@example.com' });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ __type: 'UnsupportedOperationException', message: 'The local user pool does not emulate ForgotPassword' });
  });

  it('refuses a target of another service and a request without one', async () => {
    const other = await call(endpoint, 'SignUp', {}, { 'x-amz-target': 'RekognitionService.DetectLabels' });
    expect(other.json.__type).toBe('UnknownOperationException');
    const none = await fetch(endpoint, { method: 'POST', body: '{}' });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { __type: string }).__type).toBe('UnknownOperationException');
  });

  it('refuses a body that is not a JSON object', async () => {
    for (const body of ['{"ClientId":', '[1,2]', '"text"']) {
      expect((await call(endpoint, 'SignUp', body)).json.__type).toBe('SerializationException');
    }
    expect((await call(endpoint, 'SignUp', { ClientId: 7, Username: 'a@example.com', Password: PASSWORD })).json.__type).toBe('SerializationException');
  });

  it('refuses a body larger than it reads, without reading it', async () => {
    const reply = await call(endpoint, 'SignUp', { ClientId: CLIENT_ID, Username: 'a@example.com', Password: PASSWORD, Pad: 'x'.repeat(MAX_BODY_BYTES) });
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ __type: 'InvalidParameterException', message: `Request body exceeds ${MAX_BODY_BYTES} bytes` });
    // The server is still there for the next request.
    expect((await call(endpoint, 'GetUser', { AccessToken: 'x' })).json.__type).toBe('NotAuthorizedException');
  });

  it('bounds the maps of parameters', async () => {
    const parameters = Object.fromEntries(Array.from({ length: 21 }, (_, index) => [`P${index}`, 'v']));
    const reply = await call(endpoint, 'InitiateAuth', { AuthFlow: 'USER_SRP_AUTH', ClientId: CLIENT_ID, AuthParameters: parameters });
    expect(reply.json.__type).toBe('InvalidParameterException');
    const long = await call(endpoint, 'InitiateAuth', { AuthFlow: 'USER_SRP_AUTH', ClientId: CLIENT_ID, AuthParameters: { USERNAME: 'a@example.com', SRP_A: 'f'.repeat(9000) } });
    expect(long.json.__type).toBe('InvalidParameterException');
  });

  it('answers 404 to other paths and methods', async () => {
    expect((await fetch(`${endpoint}/elsewhere`)).status).toBe(404);
    expect((await fetch(endpoint)).status).toBe(404);
  });
});

describe('CORS, for a page on another origin', () => {
  it('answers the preflight Amplify\'s requests cause', async () => {
    const response = await fetch(endpoint, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://127.0.0.1:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'cache-control,content-type,x-amz-target,x-amz-user-agent',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    expect(response.headers.get('access-control-allow-headers')).toBe('cache-control,content-type,x-amz-target,x-amz-user-agent');
  });

  it('lets the page read the error type of a refusal', async () => {
    const reply = await call(endpoint, 'GetUser', { AccessToken: 'x' }, { origin: 'http://127.0.0.1:5173' });
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    expect(reply.headers.get('access-control-expose-headers')).toContain('x-amzn-ErrorType');
  });

  it('serves the JWKS to pages too', async () => {
    const response = await fetch(pool.server.jwksUri, { headers: { origin: 'http://127.0.0.1:5173' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });
});
