import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call, CLIENT_ID, PASSWORD, passwordSignIn, signedCall, signUp, srpSignIn, startTestPool, tokensOf, USER_POOL_ID,
  type TestPool, type Tokens,
} from './support/pool.ts';

describe('across a restart', () => {
  let before: TestPool;
  let after: TestPool;
  let kept: Tokens;
  let revoked: Tokens;
  let unknownChallenge: Record<string, string>;

  beforeAll(async () => {
    before = await startTestPool();
    await signUp(before.server.endpoint, 'alice@example.com');
    await signedCall(before.server.endpoint, 'AdminAddUserToGroup', { UserPoolId: USER_POOL_ID, Username: 'alice@example.com', GroupName: 'admins' });
    kept = tokensOf((await srpSignIn(before.server.endpoint, 'alice@example.com', PASSWORD)).answer);
    revoked = tokensOf(await passwordSignIn(before.server.endpoint, 'alice@example.com', PASSWORD));
    await call(before.server.endpoint, 'RevokeToken', { ClientId: CLIENT_ID, Token: revoked.RefreshToken });
    unknownChallenge = (await srpSignIn(before.server.endpoint, 'nobody@example.com', PASSWORD)).challenge.json.ChallengeParameters ?? {};
    await before.stop();
    after = await startTestPool({ dataDir: before.dataDir, port: before.server.port });
  });

  afterAll(() => after.remove());

  it('keeps users and their passwords\' verifiers: the same password signs in', async () => {
    const { answer } = await srpSignIn(after.server.endpoint, 'alice@example.com', PASSWORD);
    expect(answer.status).toBe(200);
    expect(decodeJwt(tokensOf(answer).IdToken)['cognito:groups']).toEqual(['admins']);
    expect((await signUp(after.server.endpoint, 'alice@example.com')).json.__type).toBe('UsernameExistsException');
  });

  it('keeps the signing key: tokens issued before still verify, refresh and read the user', async () => {
    expect(decodeProtectedHeader(kept.AccessToken).kid).toBe(decodeProtectedHeader(tokensOf(await passwordSignIn(after.server.endpoint, 'alice@example.com', PASSWORD)).AccessToken).kid);
    expect((await call(after.server.endpoint, 'GetUser', { AccessToken: kept.AccessToken })).status).toBe(200);
    expect((await call(after.server.endpoint, 'GetTokensFromRefreshToken', { ClientId: CLIENT_ID, RefreshToken: kept.RefreshToken })).status).toBe(200);
  });

  it('keeps revocations', async () => {
    expect((await call(after.server.endpoint, 'GetUser', { AccessToken: revoked.AccessToken })).json.message).toBe('Access Token has been revoked');
    expect((await call(after.server.endpoint, 'GetTokensFromRefreshToken', { ClientId: CLIENT_ID, RefreshToken: revoked.RefreshToken })).json.message)
      .toBe('Refresh Token has been revoked');
  });

  it('shows an unknown user the same simulated salt and id as before', async () => {
    const again = (await srpSignIn(after.server.endpoint, 'nobody@example.com', PASSWORD)).challenge.json.ChallengeParameters ?? {};
    expect(again.SALT).toBe(unknownChallenge.SALT);
    expect(again.USER_ID_FOR_SRP).toBe(unknownChallenge.USER_ID_FOR_SRP);
  });

  it('writes files only its owner reads, holding no password and no refresh token', async () => {
    const directory = join(after.dataDir, 'cognito');
    const files = (await readdir(directory)).sort();
    expect(files).toEqual(['keys.json', `${USER_POOL_ID}.json`]);
    for (const file of files) {
      expect((await stat(join(directory, file))).mode & 0o777).toBe(0o600);
      const text = await readFile(join(directory, file), 'utf8');
      expect(text).not.toContain(PASSWORD);
      expect(text).not.toContain(kept.RefreshToken);
    }
  });
});

describe('a data directory it cannot read', () => {
  it('refuses to start on a pool file that is not one, saying which file', async () => {
    const pool = await startTestPool();
    await pool.stop();
    const file = join(pool.dataDir, 'cognito', `${USER_POOL_ID}.json`);
    await writeFile(file, '{"something": "else"}');
    await expect(startTestPool({ dataDir: pool.dataDir })).rejects.toThrow(file);
    await pool.remove();
  });
});
