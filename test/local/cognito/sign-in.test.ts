import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call, CLIENT_ID, PASSWORD, passwordSignIn, signUp, srpSignIn, startTestPool, tokensOf, type TestPool,
} from './support/pool.ts';
import { formatSrpTimestamp } from '../../../local/cognito/srp-timestamp.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const INCORRECT = { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' };

let pool: TestPool;
let endpoint: string;
let aliceSub: string;

beforeAll(async () => {
  pool = await startTestPool();
  endpoint = pool.server.endpoint;
  const reply = await signUp(endpoint, 'alice@example.com');
  aliceSub = String(reply.json.UserSub);
});

afterAll(() => pool.remove());

describe('SignUp', () => {
  it('confirms the user at once and answers the generated username (a UUID, also the sub)', async () => {
    const reply = await signUp(endpoint, 'bob@example.com', PASSWORD, { UserAttributes: [{ Name: 'email', Value: 'bob@example.com' }, { Name: 'name', Value: 'Bob' }] });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ UserConfirmed: true, UserSub: expect.stringMatching(UUID) });
  });

  it('refuses a second account for the same email, whatever its case', async () => {
    const reply = await signUp(endpoint, 'ALICE@example.com');
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ __type: 'UsernameExistsException', message: 'An account with the given email already exists.' });
  });

  it.each([
    ['Short-1', 'Password not long enough'],
    ['NO-LOWER-CASE-1', 'Password must have lowercase characters'],
    ['no-upper-case-1', 'Password must have uppercase characters'],
    ['No-Digits-Here', 'Password must have numeric characters'],
    ['NoSymbols123', 'Password must have symbol characters'],
  ])('refuses the password %s: %s', async (password, reason) => {
    const reply = await signUp(endpoint, 'weak@example.com', password);
    expect(reply.json).toEqual({ __type: 'InvalidPasswordException', message: `Password did not conform with policy: ${reason}` });
  });

  it('refuses a password with white space at either end', async () => {
    const reply = await signUp(endpoint, 'spaces@example.com', ' Correct-Horse-9 ');
    expect(reply.json.__type).toBe('InvalidParameterException');
  });

  it('refuses a username that is not an email', async () => {
    const reply = await signUp(endpoint, 'alice');
    expect(reply.json).toEqual({ __type: 'InvalidParameterException', message: 'Username should be an email.' });
  });

  it('refuses attributes outside the schema and attributes only the pool writes', async () => {
    const custom = await signUp(endpoint, 'carol@example.com', PASSWORD, { UserAttributes: [{ Name: 'custom:role', Value: 'admin' }] });
    expect(custom.json.__type).toBe('InvalidParameterException');
    const verified = await signUp(endpoint, 'carol@example.com', PASSWORD, { UserAttributes: [{ Name: 'email_verified', Value: 'true' }] });
    expect(verified.json).toEqual({ __type: 'NotAuthorizedException', message: 'A client attempted to write unauthorized attribute' });
  });

  it('bounds the attribute list and every value', async () => {
    const many = Array.from({ length: 26 }, (_, index) => ({ Name: 'name', Value: `n${index}` }));
    expect((await signUp(endpoint, 'dave@example.com', PASSWORD, { UserAttributes: many })).json.__type).toBe('InvalidParameterException');
    const long = [{ Name: 'name', Value: 'x'.repeat(2049) }];
    expect((await signUp(endpoint, 'dave@example.com', PASSWORD, { UserAttributes: long })).json.__type).toBe('InvalidParameterException');
    const username = `${'u'.repeat(120)}@example.com`;
    expect((await signUp(endpoint, username)).json).toEqual({
      __type: 'InvalidParameterException',
      message: "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128",
    });
  });

  it('refuses an app client the pool does not have', async () => {
    const reply = await call(endpoint, 'SignUp', { ClientId: 'someotherclient', Username: 'eve@example.com', Password: PASSWORD });
    expect(reply.json).toEqual({ __type: 'ResourceNotFoundException', message: 'User pool client someotherclient does not exist.' });
  });
});

describe('ConfirmSignUp', () => {
  it('refuses to confirm a user who is already confirmed, as Cognito does', async () => {
    const reply = await call(endpoint, 'ConfirmSignUp', { ClientId: CLIENT_ID, Username: 'alice@example.com', ConfirmationCode: '123456' });
    expect(reply.json).toEqual({ __type: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED' });
  });

  it('answers an unknown user as it answers a wrong code', async () => {
    const reply = await call(endpoint, 'ConfirmSignUp', { ClientId: CLIENT_ID, Username: 'nobody@example.com', ConfirmationCode: '123456' });
    expect(reply.json.__type).toBe('CodeMismatchException');
  });
});

describe('InitiateAuth USER_SRP_AUTH and RespondToAuthChallenge', () => {
  it('challenges with the internal username as USERNAME and USER_ID_FOR_SRP, and no Session', async () => {
    const { challenge, answer } = await srpSignIn(endpoint, 'alice@example.com', PASSWORD);
    expect(challenge.json.ChallengeName).toBe('PASSWORD_VERIFIER');
    expect(challenge.json.Session).toBeUndefined();
    expect(Object.keys(challenge.json.ChallengeParameters ?? {}).sort()).toEqual(['SALT', 'SECRET_BLOCK', 'SRP_B', 'USERNAME', 'USER_ID_FOR_SRP']);
    expect(challenge.json.ChallengeParameters).toMatchObject({ USERNAME: aliceSub, USER_ID_FOR_SRP: aliceSub });
    expect(answer.status).toBe(200);
    expect(answer.json.ChallengeParameters).toEqual({});
    expect(tokensOf(answer)).toEqual({
      AccessToken: expect.any(String), IdToken: expect.any(String), RefreshToken: expect.any(String), ExpiresIn: 3600, TokenType: 'Bearer',
    });
  });

  it('signs in with the internal username too, and with the email in another case', async () => {
    expect((await srpSignIn(endpoint, aliceSub, PASSWORD)).answer.status).toBe(200);
    expect((await srpSignIn(endpoint, 'Alice@Example.com', PASSWORD)).answer.status).toBe(200);
  });

  it('refuses a wrong password', async () => {
    const { answer } = await srpSignIn(endpoint, 'alice@example.com', 'Wrong-Horse-9');
    expect(answer.status).toBe(400);
    expect(answer.headers.get('x-amzn-errortype')).toBe('NotAuthorizedException');
    expect(answer.json).toEqual(INCORRECT);
  });

  it('gives an unknown user a challenge shaped like a real one, the same each time, then the same refusal', async () => {
    const first = await srpSignIn(endpoint, 'nobody@example.com', PASSWORD);
    const second = await srpSignIn(endpoint, 'nobody@example.com', PASSWORD);
    const parameters = first.challenge.json.ChallengeParameters ?? {};
    expect(first.challenge.status).toBe(200);
    expect(parameters.USER_ID_FOR_SRP).toMatch(UUID);
    expect(parameters.SALT).toMatch(/^[0-9a-f]{32}$/);
    expect(second.challenge.json.ChallengeParameters).toMatchObject({ USER_ID_FOR_SRP: parameters.USER_ID_FOR_SRP, SALT: parameters.SALT });
    expect(first.answer.json).toEqual(INCORRECT);
  });

  it('accepts an answer once: a replayed secret block is refused', async () => {
    const captured: Record<string, string> = {};
    const { answer } = await srpSignIn(endpoint, 'alice@example.com', PASSWORD, { tamper: (responses) => Object.assign(captured, responses) });
    expect(answer.status).toBe(200);
    const replay = await call(endpoint, 'RespondToAuthChallenge', { ChallengeName: 'PASSWORD_VERIFIER', ClientId: CLIENT_ID, ChallengeResponses: captured });
    expect(replay.json).toEqual(INCORRECT);
  });

  it('refuses an answer whose signature was altered, or that names another user', async () => {
    const altered = await srpSignIn(endpoint, 'alice@example.com', PASSWORD, {
      tamper: (responses) => {
        const bytes = Buffer.from(responses.PASSWORD_CLAIM_SIGNATURE, 'base64');
        bytes[0] ^= 1;
        responses.PASSWORD_CLAIM_SIGNATURE = bytes.toString('base64');
      },
    });
    expect(altered.answer.json).toEqual(INCORRECT);
    const other = await srpSignIn(endpoint, 'alice@example.com', PASSWORD, { tamper: (responses) => { responses.USERNAME = 'bob@example.com'; } });
    expect(other.answer.json).toEqual(INCORRECT);
  });

  it('refuses a TIMESTAMP that is not in Cognito\'s format', async () => {
    const { answer } = await srpSignIn(endpoint, 'alice@example.com', PASSWORD, { timestamp: new Date().toISOString() });
    expect(answer.json).toEqual({ __type: 'InvalidParameterException', message: 'TIMESTAMP format should be EEE MMM d HH:mm:ss z yyyy in english.' });
  });

  describe('on a day of the month below 10', () => {
    const instant = new Date(Date.UTC(2030, 0, 5, 9, 5, 7));
    let fixed: TestPool;

    beforeAll(async () => {
      fixed = await startTestPool({ clock: () => instant });
      await signUp(fixed.server.endpoint, 'alice@example.com');
    });

    afterAll(() => fixed.remove());

    it.each([
      ['Sat Jan 5 09:05:07 UTC 2030', 200],
      // Read, but signed over another spelling than the one Cognito checks.
      ['Sat Jan 05 09:05:07 UTC 2030', 400],
      ['Sun Jan 5 09:05:07 UTC 2030', 400],
    ])('verifies the signature over Cognito\'s spelling of the instant: %s answers %s', async (timestamp, status) => {
      const { answer } = await srpSignIn(fixed.server.endpoint, 'alice@example.com', PASSWORD, { timestamp });
      expect(answer.status).toBe(status);
      if (status === 400) expect(answer.json).toEqual(INCORRECT);
    });
  });

  it('refuses a TIMESTAMP ten minutes away from the pool\'s clock', async () => {
    const { answer } = await srpSignIn(endpoint, 'alice@example.com', PASSWORD, { timestamp: formatSrpTimestamp(new Date(Date.now() - 10 * 60_000)) });
    expect(answer.json).toEqual(INCORRECT);
  });

  it('refuses an SRP_A of zero and a missing one', async () => {
    const zero = await call(endpoint, 'InitiateAuth', { AuthFlow: 'USER_SRP_AUTH', ClientId: CLIENT_ID, AuthParameters: { USERNAME: 'alice@example.com', SRP_A: '0' } });
    expect(zero.json.__type).toBe('InvalidParameterException');
    const missing = await call(endpoint, 'InitiateAuth', { AuthFlow: 'USER_SRP_AUTH', ClientId: CLIENT_ID, AuthParameters: { USERNAME: 'alice@example.com' } });
    expect(missing.json).toEqual({ __type: 'InvalidParameterException', message: 'Missing required parameter SRP_A' });
  });
});

describe('InitiateAuth USER_PASSWORD_AUTH', () => {
  it('signs in with the right password, without keeping it', async () => {
    const reply = await passwordSignIn(endpoint, 'alice@example.com', PASSWORD);
    expect(reply.status).toBe(200);
    expect(tokensOf(reply).RefreshToken).toEqual(expect.any(String));
    expect(JSON.stringify(pool.logs)).not.toContain(PASSWORD);
  });

  it('answers a wrong password and an unknown user with the same refusal', async () => {
    const wrong = await passwordSignIn(endpoint, 'alice@example.com', 'Wrong-Horse-9');
    const unknown = await passwordSignIn(endpoint, 'nobody@example.com', PASSWORD);
    expect(wrong.status).toBe(400);
    expect(wrong.json).toEqual(INCORRECT);
    expect(unknown.json).toEqual(INCORRECT);
  });

  it('refuses flows the app client does not allow', async () => {
    const reply = await call(endpoint, 'InitiateAuth', { AuthFlow: 'CUSTOM_AUTH', ClientId: CLIENT_ID, AuthParameters: { USERNAME: 'alice@example.com' } });
    expect(reply.json.__type).toBe('InvalidParameterException');
  });
});
