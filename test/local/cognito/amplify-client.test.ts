import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChildReports } from '../appsync/support/amplify-child.ts';
import { call, CLIENT_ID, PASSWORD, startTestPool, USER_POOL_ID, type TestPool } from './support/pool.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./support/amplify-auth-child.ts', import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface SessionReport {
  accessToken: string;
  sub: string;
  jti: string;
  originJti: string;
  idUsername: string;
  email: string;
}

describe('an unmodified aws-amplify v6 client against the local user pool', () => {
  let pool: TestPool;
  let child: ChildProcess | undefined;
  let reports: ChildReports;
  const detail = async <T>(event: string) => (await reports.next(event, 1_000)).detail as T;

  beforeAll(async () => {
    pool = await startTestPool();
    child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: ROOT,
      env: {
        ...process.env,
        COGNITO_USER_POOL_ID: USER_POOL_ID,
        COGNITO_CLIENT_ID: CLIENT_ID,
        COGNITO_ENDPOINT: pool.server.endpoint,
        COGNITO_EMAIL: 'amplify.user@example.com',
        COGNITO_PASSWORD: PASSWORD,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    reports = new ChildReports(child);
    const done = await reports.next('done', 60_000);
    expect(done.detail, reports.stderr.join('')).toEqual({ ok: true });
  });

  afterAll(async () => {
    child?.kill();
    await pool.remove();
  });

  it('signs up, confirmed at once, and is told confirming again is refused', async () => {
    const signUp = await detail<{ isSignUpComplete: boolean; userId: string; nextStep: { signUpStep: string } }>('signUp');
    expect(signUp).toMatchObject({ isSignUpComplete: true, nextStep: { signUpStep: 'DONE' }, userId: expect.stringMatching(UUID) });
    expect(await detail('confirmSignUp')).toEqual({ name: 'NotAuthorizedException', message: 'User cannot be confirmed. Current status is CONFIRMED' });
  });

  it('signs in with the default SRP flow and holds tokens for the user', async () => {
    const { userId } = await detail<{ userId: string }>('signUp');
    expect(await detail('signIn')).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    expect(await detail<SessionReport>('session')).toMatchObject({ sub: userId, idUsername: userId, email: 'amplify.user@example.com' });
    expect(await detail('currentUser')).toEqual({
      username: userId,
      userId,
      signInDetails: { loginId: 'amplify.user@example.com', authFlowType: 'USER_SRP_AUTH' },
    });
    expect(await detail('attributes')).toEqual({ sub: userId, email_verified: 'true', email: 'amplify.user@example.com' });
  });

  it('refreshes on forceRefresh: a new access token of the same session', async () => {
    const session = await detail<SessionReport>('session');
    const refreshed = await detail<{ jti: string; originJti: string }>('refresh');
    expect(refreshed.originJti).toBe(session.originJti);
    expect(refreshed.jti).not.toBe(session.jti);
  });

  it('signs out: the tokens are gone, and the pool revoked the session', async () => {
    expect(await detail('signOut')).toEqual({ session: null });
    const { accessToken } = await detail<SessionReport>('session');
    expect((await call(pool.server.endpoint, 'GetUser', { AccessToken: accessToken })).json.message).toBe('Access Token has been revoked');
  });

  it('signs in with USER_PASSWORD_AUTH, and a global sign-out revokes that session too', async () => {
    expect(await detail('passwordSignIn')).toEqual({ isSignedIn: true, nextStep: { signInStep: 'DONE' } });
    const { accessToken } = await detail<SessionReport>('passwordSession');
    expect(await detail('globalSignOut')).toEqual({ session: null });
    expect((await call(pool.server.endpoint, 'GetUser', { AccessToken: accessToken })).json.message).toBe('Access Token has been revoked');
  });

  it('is refused a wrong password with NotAuthorizedException', async () => {
    expect(await detail('wrongPassword')).toEqual({ name: 'NotAuthorizedException', message: 'Incorrect username or password.' });
  });

  it('made only calls the pool emulates', () => {
    const refused = pool.logs.filter((line) => line.fields.errorType === 'UnsupportedOperationException' || line.level === 'error');
    expect(refused).toEqual([]);
  });
});
