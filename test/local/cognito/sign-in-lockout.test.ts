import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SignInLockout } from '../../../local/cognito/sign-in-lockout.ts';
import { PASSWORD, passwordSignIn, signUp, srpSignIn, startTestPool, type Reply, type TestPool } from './support/pool.ts';

const INCORRECT = { __type: 'NotAuthorizedException', message: 'Incorrect username or password.' };
const EXCEEDED = { __type: 'NotAuthorizedException', message: 'Password attempts exceeded' };
const WRONG = 'Wrong-Horse-9';

let pool: TestPool;
let endpoint: string;
// The pool's clock: the real time at start (SRP answers carry a timestamp checked against it), moved by the tests.
let now = Date.now();
let nextUser = 0;
let user: string;

beforeAll(async () => {
  pool = await startTestPool({ clock: () => new Date(now) });
  endpoint = pool.server.endpoint;
});
afterAll(() => pool.remove());
beforeEach(async () => {
  now = Date.now();
  nextUser += 1;
  user = `user${nextUser}@example.com`;
  expect((await signUp(endpoint, user)).status).toBe(200);
});

async function failTimes(count: number, username = user): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (let i = 0; i < count; i += 1) replies.push(await passwordSignIn(endpoint, username, WRONG));
  return replies;
}

describe('sign-in lockout', () => {
  it('refuses the sixth attempt after five wrong passwords, even with the right password, with "Password attempts exceeded"', async () => {
    const failures = await failTimes(5);

    const right = await passwordSignIn(endpoint, user, PASSWORD);

    expect(failures.map((reply) => reply.json)).toEqual(Array(5).fill(INCORRECT));
    expect(right.status).toBe(400);
    expect(right.json).toEqual(EXCEEDED);
  });

  it('lets the user in once the one-second lockout has passed, then counts from zero again', async () => {
    await failTimes(5);
    now += 1000;

    const right = await passwordSignIn(endpoint, user, PASSWORD);
    const wrongAfter = await failTimes(1);

    expect(right.status).toBe(200);
    expect(wrongAfter[0]!.json).toEqual(INCORRECT);
  });

  it('doubles the lockout with each further failure up to 15 minutes, not counting attempts made while locked out', async () => {
    await failTimes(5);
    const seen: Array<[number, string, string]> = [];
    let lockedAt = now;
    // After the n-th failure the lockout lasts 2^(n-5) s, at most 15 minutes.
    for (let failures = 5; failures <= 16; failures += 1) {
      const lockoutMs = Math.min(2 ** (failures - 5) * 1000, 15 * 60 * 1000);
      now = lockedAt + lockoutMs - 1;
      const during = await passwordSignIn(endpoint, user, PASSWORD);
      now = lockedAt + lockoutMs;
      const after = await passwordSignIn(endpoint, user, WRONG);
      seen.push([lockoutMs, String(during.json.message), String(after.json.message)]);
      lockedAt = now;
    }

    const expected = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]
      .map((seconds): [number, string, string] => [seconds * 1000, EXCEEDED.message, INCORRECT.message]);
    expect(seen).toEqual(expected);
  });

  it('locks out wrong SRP answers as wrong passwords, and refuses the right SRP answer during the lockout', async () => {
    for (let i = 0; i < 5; i += 1) {
      expect((await srpSignIn(endpoint, user, WRONG)).answer.json).toEqual(INCORRECT);
    }

    const { answer } = await srpSignIn(endpoint, user, PASSWORD);

    expect(answer.json).toEqual(EXCEEDED);
  });

  it('locks out an unknown username exactly as one that exists, so the lockout tells nothing', async () => {
    const known = [...await failTimes(6), await passwordSignIn(endpoint, user, PASSWORD)];
    const unknown = [...await failTimes(6, `nobody${nextUser}@example.com`), await passwordSignIn(endpoint, `nobody${nextUser}@example.com`, PASSWORD)];

    expect(unknown.map((reply) => reply.json)).toEqual(known.map((reply) => reply.json));
    expect(known.at(-1)!.json).toEqual(EXCEEDED);
  });

  it('forgets the failures after 15 minutes without an attempt', async () => {
    await failTimes(4);
    now += 15 * 60 * 1000;

    const afterQuiet = await failTimes(4);

    expect(afterQuiet.map((reply) => reply.json)).toEqual(Array(4).fill(INCORRECT));
    expect((await passwordSignIn(endpoint, user, PASSWORD)).status).toBe(200);
  });

  it('keeps one user\'s lockout away from another user', async () => {
    await failTimes(5);
    const other = `other${nextUser}@example.com`;
    await signUp(endpoint, other);

    expect((await passwordSignIn(endpoint, other, PASSWORD)).status).toBe(200);
  });
});

describe('SignInLockout', () => {
  it('tracks at most its bound of usernames, however many are sprayed', () => {
    const lockout = new SignInLockout(100);

    for (let i = 0; i < 10_000; i += 1) lockout.failed(`sprayed-${i}`, 0);

    expect(lockout.size).toBe(100);
  });
});
