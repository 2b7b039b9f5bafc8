// The page's user pool client (web/user-pool.js) against the local user pool over real HTTP, and against canned
// answers for what the local pool never says (namespaced exception names, challenges).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../web/errors.js';
import { createUserPoolClient, type UserPoolClient } from '../../web/user-pool.js';
import { CLIENT_ID, PASSWORD, startTestPool, type TestPool } from '../local/cognito/support/pool.ts';

let pool: TestPool;
let client: UserPoolClient;
const requests: Request[] = [];

beforeAll(async () => {
  pool = await startTestPool();
  client = createUserPoolClient({ endpoint: pool.server.endpoint, clientId: CLIENT_ID }, (input, init) => {
    requests.push(new Request(input, init));
    return fetch(input, init);
  });
});

afterAll(() => pool?.remove());

const newEmail = () => `user-${randomUUID().slice(0, 8)}@example.com`;

/** The error a call rejected with, or a failure when it did not reject. */
async function refusal(call: Promise<unknown>): Promise<ApiError> {
  const outcome = await call.then(() => null, (error: unknown) => error);
  if (!(outcome instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(outcome)}`);
  return outcome;
}

/** A client whose pool answers `status` and `body` (and `headers`) to everything. */
function answering(status: number, body: unknown, headers: Record<string, string> = {}): UserPoolClient {
  return createUserPoolClient({ endpoint: 'https://cognito-idp.eu-west-1.amazonaws.com/', clientId: 'client' },
    async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/x-amz-json-1.1', ...headers } }));
}

describe('user pool client', () => {
  it('signs a new user up, confirmed at once by the local pool, and signs in with USER_PASSWORD_AUTH over AWS JSON 1.1', async () => {
    const email = newEmail();

    const signedUp = await client.signUp(email, PASSWORD);
    const tokens = await client.signIn(email, PASSWORD);

    expect(signedUp).toEqual({ confirmed: true, codeSentTo: null });
    expect(tokens).toEqual({
      idToken: expect.stringMatching(/^ey[\w-]+\.[\w-]+\.[\w-]+$/),
      accessToken: expect.stringMatching(/^ey/),
      refreshToken: expect.any(String),
      expiresInSeconds: 3600,
    });
    const signIn = requests.at(-1)!;
    expect(signIn.method).toBe('POST');
    expect(signIn.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(signIn.headers.get('x-amz-target')).toBe('AWSCognitoIdentityProviderService.InitiateAuth');
    expect(await signIn.json()).toEqual({
      ClientId: CLIENT_ID, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD },
    });
  });

  it('refreshes with REFRESH_TOKEN_AUTH and keeps the refresh token the pool did not rotate', async () => {
    const email = newEmail();
    await client.signUp(email, PASSWORD);
    const first = await client.signIn(email, PASSWORD);

    const refreshed = await client.refresh(first.refreshToken!);

    expect(refreshed.idToken).not.toBe(first.idToken);
    expect(refreshed.refreshToken).toBe(first.refreshToken);
  });

  it('revokes the refresh token: refreshing with it is refused afterwards', async () => {
    const email = newEmail();
    await client.signUp(email, PASSWORD);
    const { refreshToken } = await client.signIn(email, PASSWORD);

    await client.revoke(refreshToken!);

    const error = await refusal(client.refresh(refreshToken!));
    expect([error.source, error.type, error.message]).toEqual(['Cognito', 'NotAuthorizedException', 'Refresh Token has been revoked']);
  });

  it.each([
    ['an email already signed up', 'UsernameExistsException', 'An account with the given email already exists.'],
    ['a password the policy refuses', 'InvalidPasswordException', 'Password did not conform with policy: Password not long enough'],
  ])('answers the exception name and message of Cognito for %s', async (_case, type, message) => {
    const email = newEmail();
    await client.signUp(email, PASSWORD);

    const error = await refusal(type === 'UsernameExistsException' ? client.signUp(email, PASSWORD) : client.signUp(newEmail(), 'Sh0rt!'));

    expect([error.source, error.type, error.message]).toEqual(['Cognito', type, message]);
  });

  it('answers NotAuthorizedException for a wrong password and for an unknown user alike', async () => {
    const email = newEmail();
    await client.signUp(email, PASSWORD);

    const wrong = await refusal(client.signIn(email, `${PASSWORD}x`));
    const unknown = await refusal(client.signIn(newEmail(), PASSWORD));

    expect([wrong.type, wrong.message]).toEqual(['NotAuthorizedException', 'Incorrect username or password.']);
    expect([unknown.type, unknown.message]).toEqual([wrong.type, wrong.message]);
  });

  it('reads a namespaced __type and, without one, the x-amzn-ErrorType header', async () => {
    const namespaced = await refusal(answering(400, {
      __type: 'com.amazonaws.cognito.identity.idp.model#UserNotConfirmedException', message: 'User is not confirmed.',
    }).signIn('a@example.com', PASSWORD));
    const fromHeader = await refusal(answering(400, { Message: 'Rate exceeded' }, {
      'x-amzn-errortype': 'TooManyRequestsException:http://internal.amazon.com/coral/com.amazon.coral.service/',
    }).signIn('a@example.com', PASSWORD));

    expect([namespaced.type, namespaced.message]).toEqual(['UserNotConfirmedException', 'User is not confirmed.']);
    expect([fromHeader.type, fromHeader.message]).toEqual(['TooManyRequestsException', 'Rate exceeded']);
  });

  it('says where a confirmation code went when the pool does not confirm sign-ups itself', async () => {
    const result = await answering(200, {
      UserConfirmed: false, UserSub: randomUUID(),
      CodeDeliveryDetails: { DeliveryMedium: 'EMAIL', Destination: 'a***@e***', AttributeName: 'email' },
    }).signUp('a@example.com', PASSWORD);

    expect(result).toEqual({ confirmed: false, codeSentTo: 'a***@e***' });
  });

  it('refuses to treat a challenge as a sign-in', async () => {
    const error = await refusal(answering(200, { ChallengeName: 'NEW_PASSWORD_REQUIRED', Session: 'x', ChallengeParameters: {} })
      .signIn('a@example.com', PASSWORD));

    expect([error.type, error.message]).toEqual(['ChallengeNotSupported', 'The user pool asks for NEW_PASSWORD_REQUIRED, which this page does not handle']);
  });

  it('says which endpoint it could not reach', async () => {
    const unreachable = createUserPoolClient({ endpoint: 'http://127.0.0.1:9/', clientId: 'client' });

    const error = await refusal(unreachable.signIn('a@example.com', PASSWORD));

    expect(error.type).toBe('NetworkError');
    expect(error.message).toContain('http://127.0.0.1:9/');
  });
});
