import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  computeVerifier, createPasswordVerifier, createServerEphemeral, k, N, padHex, parseClientPublic, passwordClaimSignature,
  serverSessionKey, userPoolName,
} from '../../../local/cognito/srp.ts';
import { formatSrpTimestamp, parseSrpTimestamp } from '../../../local/cognito/srp-timestamp.ts';
import { amplifyBigInteger, amplifySrp } from './support/amplify-srp.ts';

const POOL = 'LocalPool1';
const USER_ID = '4f1c2a9e-1111-4222-8333-944455556666';

/** One exchange: Amplify's client helper on one side, the local pool's server functions on the other. */
async function exchange(clientPassword: string, serverPassword: string, salt = randomBytes(16).toString('hex')) {
  const verifier = computeVerifier(POOL, USER_ID, serverPassword, salt);
  const client = await amplifySrp.getAuthenticationHelper(POOL);
  const A = parseClientPublic(client.A.toString(16));
  if (A === null) throw new Error('Amplify sent an unusable A');
  const { b, B } = createServerEphemeral(verifier);
  const clientKey = await client.getPasswordAuthenticationKey({
    username: USER_ID,
    password: clientPassword,
    serverBValue: amplifyBigInteger(B.toString(16)),
    salt: amplifyBigInteger(salt),
  });
  const serverKey = serverSessionKey({ A, B, b, verifierHex: verifier });
  return { clientKey: Buffer.from(clientKey), serverKey };
}

describe('SRP-6a as Amplify computes it', () => {
  it('uses the multiplier k = H(N | g) of Amplify\'s helper', async () => {
    const client = await amplifySrp.getAuthenticationHelper(POOL);
    expect(k.toString(16)).toBe(client.k.toString(16));
  });

  it.each([
    [0x14n, '14'],
    [0x80n, '0080'],
    [0xecn, '00ec'],
    [0x1234n, '1234'],
    [0x123n, '0123'],
  ])('writes %s in padded hex as %s', (value, hex) => {
    expect(padHex(value)).toBe(hex);
  });

  it('derives the same 16-byte key on both sides for the right password', async () => {
    for (let round = 0; round < 4; round += 1) {
      const { clientKey, serverKey } = await exchange('Correct-Horse-9', 'Correct-Horse-9');
      expect(serverKey).not.toBeNull();
      expect(serverKey!.length).toBe(16);
      expect(serverKey!.equals(clientKey)).toBe(true);
    }
  });

  it('agrees when the salt has its top bit set (padded with a 00 byte)', async () => {
    const salt = `ff${randomBytes(15).toString('hex')}`;
    const { clientKey, serverKey } = await exchange('Correct-Horse-9', 'Correct-Horse-9', salt);
    expect(serverKey!.equals(clientKey)).toBe(true);
  });

  it('derives another key for a wrong password', async () => {
    const { clientKey, serverKey } = await exchange('Wrong-Horse-9', 'Correct-Horse-9');
    expect(serverKey!.equals(clientKey)).toBe(false);
  });

  it('signs the password claim exactly as Amplify does', async () => {
    const key = randomBytes(16);
    const secretBlock = randomBytes(96).toString('base64');
    const timestamp = 'Tue Mar 4 09:05:07 UTC 2025';
    const ours = passwordClaimSignature({ key, poolName: POOL, userId: USER_ID, secretBlock, timestamp });
    const theirs = amplifySrp.getSignatureString({
      userPoolName: POOL, username: USER_ID, challengeParameters: { SECRET_BLOCK: secretBlock }, dateNow: timestamp, hkdf: key,
    });
    expect(ours.toString('base64')).toBe(theirs);
  });

  it.each([
    ['zero', '0'],
    ['N itself', N.toString(16)],
    ['a multiple of N', (N * 2n).toString(16)],
    ['not hex', 'xyz'],
    ['empty', ''],
    ['too long', 'f'.repeat(1025)],
  ])('refuses an A that is %s', (_what, hex) => {
    expect(parseClientPublic(hex)).toBeNull();
  });

  it('never keeps the password: a verifier is a salt and g^x, different for every sign-up', () => {
    const first = createPasswordVerifier(POOL, USER_ID, 'Correct-Horse-9');
    const second = createPasswordVerifier(POOL, USER_ID, 'Correct-Horse-9');
    expect(first.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(first.verifier).not.toBe(second.verifier);
    expect(JSON.stringify(first)).not.toContain('Correct-Horse-9');
  });

  it('takes the pool name from the pool id', () => {
    expect(userPoolName('us-east-1_LocalPool1')).toBe('LocalPool1');
  });
});

describe('the PASSWORD_VERIFIER timestamp', () => {
  it('reads what Amplify writes and writes it back the same', () => {
    const now = amplifySrp.getNowString();
    const parsed = parseSrpTimestamp(now);
    expect(parsed).not.toBeNull();
    expect(formatSrpTimestamp(parsed!)).toBe(now);
  });

  it.each([
    ['Tue Mar 4 09:05:07 UTC 2025', 'Tue Mar 4 09:05:07 UTC 2025'],
    // Read, but spelled differently from Cognito's canonical form: what was signed is not what is checked.
    ['Tue Mar 04 09:05:07 UTC 2025', 'Tue Mar 4 09:05:07 UTC 2025'],
    ['Sun Mar 4 09:05:07 UTC 2025', 'Tue Mar 4 09:05:07 UTC 2025'],
  ])('reads %s as the instant Cognito writes %s', (text, canonical) => {
    expect(formatSrpTimestamp(parseSrpTimestamp(text)!)).toBe(canonical);
  });

  it.each([
    '2025-03-04T09:05:07Z',
    'Tue Mar 4 09:05:07 +05:30 2025',
    'Tue Feb 30 09:05:07 UTC 2025',
    'Tue Mar 4 25:05:07 UTC 2025',
    'Mardi Mar 4 09:05:07 UTC 2025',
  ])('refuses %s', (text) => {
    expect(parseSrpTimestamp(text)).toBeNull();
  });
});
