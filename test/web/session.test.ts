// The page's session (web/session.js) against the local user pool: where tokens are kept, when the ID token is
// refreshed, what sign-out and a revoked session do. The clock and the timers are the test's, so "an hour later"
// needs no waiting.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../web/errors.js';
import {
  createSession, decodeJwtPayload, REFRESH_MARGIN_MS, type KeyValueStorage, type Session, type SessionChange,
} from '../../web/session.js';
import { createUserPoolClient, type UserPoolClient } from '../../web/user-pool.js';
import { CLIENT_ID, PASSWORD, startTestPool, type TestPool } from '../local/cognito/support/pool.ts';

const KEY = 'image-labels.session:test';
const HOUR_MS = 3600_000;

let testPool: TestPool;
let pool: UserPoolClient;

beforeAll(async () => {
  testPool = await startTestPool();
  pool = createUserPoolClient({ endpoint: testPool.server.endpoint, clientId: CLIENT_ID });
});

afterAll(() => testPool?.remove());

function memoryStorage(): KeyValueStorage & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    getItem: (key) => entries.get(key) ?? null,
    setItem: (key, value) => void entries.set(key, value),
    removeItem: (key) => void entries.delete(key),
  };
}

interface Harness {
  session: Session;
  storage: ReturnType<typeof memoryStorage>;
  clock: { now: number };
  timers: Array<{ ms: number; handler: () => void; cleared: boolean }>;
  changes: Array<{ change: SessionChange; email: string | null; reason: string | null }>;
}

function harness(options: { storage?: ReturnType<typeof memoryStorage>; pool?: UserPoolClient } = {}): Harness {
  const storage = options.storage ?? memoryStorage();
  const clock = { now: Date.now() };
  const timers: Harness['timers'] = [];
  const changes: Harness['changes'] = [];
  const session = createSession({
    pool: options.pool ?? pool,
    storage,
    storageKey: KEY,
    now: () => clock.now,
    timers: {
      setTimeout: (handler, ms) => {
        const timer = { ms, handler, cleared: false };
        timers.push(timer);
        return timer;
      },
      clearTimeout: (handle) => {
        if (handle) (handle as Harness['timers'][number]).cleared = true;
      },
    },
    onChange: (change, user, reason) => changes.push({ change, email: user?.email ?? null, reason: reason?.type ?? null }),
  });
  return { session, storage, clock, timers, changes };
}

async function newUser(): Promise<string> {
  const email = `user-${randomUUID().slice(0, 8)}@example.com`;
  await pool.signUp(email, PASSWORD);
  return email;
}

const stored = (h: Harness) => JSON.parse(h.storage.entries.get(KEY) ?? 'null') as { idToken: string; refreshToken: string; expiresAt: number } | null;
const jti = (token: string) => decodeJwtPayload(token)?.jti;

async function refusal(call: Promise<unknown>): Promise<ApiError> {
  const outcome = await call.then(() => null, (error: unknown) => error);
  if (!(outcome instanceof ApiError)) throw new Error(`expected an ApiError, got ${String(outcome)}`);
  return outcome;
}

describe('session', () => {
  it('keeps the tokens in its storage after sign-in, says who signed in, and restores them in a new page', async () => {
    const email = await newUser();
    const first = harness();

    const user = await first.session.signIn(email, PASSWORD);

    expect(user.email).toBe(email);
    expect(first.changes).toEqual([{ change: 'signed-in', email, reason: null }]);
    expect(stored(first)).toMatchObject({ idToken: expect.any(String), refreshToken: expect.any(String), expiresAt: first.clock.now + HOUR_MS });
    const again = harness({ storage: first.storage });
    expect(again.session.restore()).toEqual(user);
    expect(await again.session.idToken()).toBe(stored(first)!.idToken);
  });

  it('schedules the refresh a margin before the ID token expires', async () => {
    const h = harness();
    await h.session.signIn(await newUser(), PASSWORD);

    expect(h.timers.filter((timer) => !timer.cleared).map((timer) => timer.ms)).toEqual([HOUR_MS - REFRESH_MARGIN_MS]);
  });

  it('hands out the same ID token until it is due, then a refreshed one', async () => {
    const h = harness();
    await h.session.signIn(await newUser(), PASSWORD);
    const original = await h.session.idToken();

    h.clock.now += HOUR_MS - REFRESH_MARGIN_MS - 1000;
    const early = await h.session.idToken();
    h.clock.now += 2000;
    const due = await h.session.idToken();

    expect(early).toBe(original);
    expect(jti(due)).not.toBe(jti(original));
    expect(stored(h)!.idToken).toBe(due);
    expect(h.changes.map((c) => c.change)).toEqual(['signed-in', 'refreshed']);
  });

  it('refreshes when the scheduled timer fires', async () => {
    const h = harness();
    await h.session.signIn(await newUser(), PASSWORD);
    const original = stored(h)!.idToken;

    h.timers[h.timers.length - 1].handler();

    await expect.poll(() => stored(h)?.idToken).not.toBe(original);
  });

  it('shares one refresh between requests refused at the same time', async () => {
    const h = harness();
    await h.session.signIn(await newUser(), PASSWORD);

    const [a, b] = await Promise.all([h.session.refreshAfterUnauthorized(), h.session.refreshAfterUnauthorized()]);

    expect(a).toBe(b);
    expect(h.changes.filter((c) => c.change === 'refreshed')).toHaveLength(1);
  });

  it('revokes the refresh token at sign-out, then forgets the tokens', async () => {
    const h = harness();
    await h.session.signIn(await newUser(), PASSWORD);
    const { refreshToken } = stored(h)!;

    const outcome = await h.session.signOut();

    expect(outcome).toEqual({ revoked: true, error: null });
    expect(h.storage.entries.has(KEY)).toBe(false);
    expect(h.session.user()).toBeNull();
    expect((await refusal(h.session.idToken())).type).toBe('NotSignedIn');
    expect((await refusal(pool.refresh(refreshToken))).message).toBe('Refresh Token has been revoked');
    expect(h.timers.every((timer) => timer.cleared)).toBe(true);
  });

  it('forgets the tokens at sign-out even when the pool cannot be reached', async () => {
    const unreachable = createUserPoolClient({ endpoint: 'http://127.0.0.1:9/', clientId: CLIENT_ID });
    const signedIn = harness();
    await signedIn.session.signIn(await newUser(), PASSWORD);
    const h = harness({ storage: signedIn.storage, pool: { ...pool, revoke: unreachable.revoke } });
    h.session.restore();

    const outcome = await h.session.signOut();

    expect(outcome.revoked).toBe(false);
    expect(outcome.error?.type).toBe('NetworkError');
    expect(h.storage.entries.has(KEY)).toBe(false);
  });

  it('ends the session, and says to sign in again, when the refresh token was revoked elsewhere', async () => {
    const h = harness();
    await h.session.signIn(await newUser(), PASSWORD);
    await pool.revoke(stored(h)!.refreshToken);

    const error = await refusal(h.session.refreshAfterUnauthorized());

    expect([error.source, error.type]).toEqual(['Session', 'UnauthorizedException']);
    expect(error.message).toContain('sign in again');
    expect(h.session.user()).toBeNull();
    expect(h.storage.entries.has(KEY)).toBe(false);
    expect(h.changes.at(-1)).toEqual({ change: 'ended', email: null, reason: 'UnauthorizedException' });
  });

  it('stays signed out when a refresh started before the sign-out finishes after it', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slowPool: UserPoolClient = { ...pool, refresh: async (token) => gate.then(() => pool.refresh(token)) };
    const h = harness({ pool: slowPool });
    await h.session.signIn(await newUser(), PASSWORD);

    const refreshing = h.session.refreshAfterUnauthorized().then(() => 'refreshed', (error: ApiError) => error.type);
    await h.session.signOut();
    release();

    expect(await refreshing).toBe('NotSignedIn');
    expect(h.changes.map((c) => c.change)).toEqual(['signed-in', 'signed-out']);
    expect(h.session.user()).toBeNull();
    expect(h.storage.entries.has(KEY)).toBe(false);
  });

  it.each([
    ['not JSON', '{'],
    ['no ID token', JSON.stringify({ accessToken: 'a', refreshToken: 'r', expiresAt: 1 })],
    ['an ID token that is not a JWT', JSON.stringify({ idToken: 'nope', accessToken: 'a', refreshToken: 'r', expiresAt: 1 })],
  ])('restores nobody from a stored session with %s, and removes it', (_case, value) => {
    const storage = memoryStorage();
    storage.setItem(KEY, value);
    const h = harness({ storage });

    expect(h.session.restore()).toBeNull();
    expect(storage.entries.has(KEY)).toBe(false);
  });
});
