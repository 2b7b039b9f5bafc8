// The pool's secrets, made on first start and kept in the data directory so that tokens, JWKS and
// simulated sign-in answers stay the same across restarts: the RS256 key pair that signs tokens, and a
// secret that derives stable fake SRP values for users who do not exist.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { isObject } from './input.ts';
import { jsonFile } from './json-file.ts';

export const SIGNING_ALGORITHM = 'RS256';

export interface PoolKeys {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** The public half as the JWKS lists it. */
  publicJwk: JWK;
  /** Keys the fake answers given for unknown users. */
  poolSecret: Buffer;
}

interface StoredKeys {
  signingKey: JWK & { kid: string };
  poolSecret: string;
}

function isStoredKeys(value: unknown): value is StoredKeys {
  return isObject(value) && isObject(value.signingKey) && typeof value.signingKey.kid === 'string' &&
    value.signingKey.kty === 'RSA' && typeof value.signingKey.d === 'string' && typeof value.poolSecret === 'string';
}

function publicPart(jwk: JWK & { kid: string }): JWK {
  return { alg: SIGNING_ALGORITHM, e: jwk.e, kid: jwk.kid, kty: 'RSA', n: jwk.n, use: 'sig' };
}

/** Reads `<directory>/keys.json`, creating it (mode 0600) on first use. */
export async function loadOrCreateKeys(directory: string): Promise<PoolKeys & { created: boolean }> {
  const file = jsonFile(join(directory, 'keys.json'), isStoredKeys);
  let stored = await file.read();
  const created = stored === null;
  if (stored === null) {
    const pair = await generateKeyPair(SIGNING_ALGORITHM, { modulusLength: 2048, extractable: true });
    const jwk = await exportJWK(pair.privateKey);
    const kid = await calculateJwkThumbprint(jwk);
    stored = { signingKey: { ...jwk, kid, alg: SIGNING_ALGORITHM }, poolSecret: randomBytes(32).toString('base64') };
    await file.write(stored);
  }
  const publicJwk = publicPart(stored.signingKey);
  return {
    kid: stored.signingKey.kid,
    privateKey: (await importJWK(stored.signingKey, SIGNING_ALGORITHM)) as CryptoKey,
    publicKey: (await importJWK(publicJwk, SIGNING_ALGORITHM)) as CryptoKey,
    publicJwk,
    poolSecret: Buffer.from(stored.poolSecret, 'base64'),
    created,
  };
}
