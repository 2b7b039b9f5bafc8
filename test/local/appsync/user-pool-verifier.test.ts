import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createUserPoolVerifier } from '../../../local/appsync/user-pool-auth.ts';
import { startTestUserPool, withPayload, type TestUserPool } from './support/user-pool.ts';

describe('the user pool verifier keeps verified tokens until they expire', () => {
  let pool: TestUserPool;

  beforeAll(async () => {
    pool = await startTestUserPool();
  });

  afterAll(() => pool.close());

  afterEach(() => {
    vi.useRealTimers();
  });

  it('answers a token seen before with claims of its own each time', async () => {
    const verifier = createUserPoolVerifier(pool.config);
    const token = await pool.idToken({ groups: ['admins'] });

    const first = await verifier.verify(token);
    if (!first.ok) throw new Error('the token was refused');
    (first.claims['cognito:groups'] as string[]).push('intruders');
    first.claims.sub = 'someone-else';
    const second = await verifier.verify(token);

    expect(second).toEqual({ ok: true, claims: expect.objectContaining({ sub: '7d8ca528-4931-4254-9273-ea5ee853f271', 'cognito:groups': ['admins'] }), expiresAt: first.expiresAt });
  });

  it('refuses a kept token once its expiry has passed', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const verifier = createUserPoolVerifier(pool.config);
    const token = await pool.idToken({ expiresIn: 60 });
    expect((await verifier.verify(token)).ok).toBe(true);

    vi.setSystemTime(Date.now() + 61_000);

    expect(await verifier.verify(token)).toEqual({ ok: false, refusal: 'EXPIRED' });
  });

  it('keeps no refusal: a forged token is refused every time', async () => {
    const verifier = createUserPoolVerifier(pool.config);
    const forged = withPayload(await pool.idToken(), { sub: 'forged' });

    expect(await verifier.verify(forged)).toEqual({ ok: false, refusal: 'NOT_AUTHORIZED' });
    expect(await verifier.verify(forged)).toEqual({ ok: false, refusal: 'NOT_AUTHORIZED' });
  });

  it('never answers a token from the cache that differs from a kept one', async () => {
    const verifier = createUserPoolVerifier(pool.config);
    const token = await pool.idToken();
    await verifier.verify(token);
    const [header, payload, signature] = token.split('.');

    const tampered = await verifier.verify(`${header}.${payload}.${signature.slice(0, -2)}AA`);

    expect(tampered).toEqual({ ok: false, refusal: 'NOT_AUTHORIZED' });
  });
});
