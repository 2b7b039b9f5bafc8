// SRP-6a as Cognito user pools speak it (and amazon-cognito-identity-js / Amplify v6 compute it on the client):
// the 3072-bit group of RFC 5054 with g = 2, SHA-256, numbers hashed in their shortest two's-complement hex
// ("padded hex"), x = H(salt | H(poolName | userId | ":" | password)), and the session key derived from S with
// HKDF (salt u, info "Caldera Derived Key" 0x01, 16 bytes). Pure functions over bigint: no state, no I/O.
import { createHash, createHmac, randomBytes } from 'node:crypto';

export const N = BigInt(
  '0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF',
);
export const g = 2n;

/** Hex of a non-negative integer as Java's BigInteger.toByteArray() would give it: even length, a 00 byte when the top bit is set. */
export function padHex(value: bigint): string {
  if (value < 0n) throw new RangeError('padHex takes non-negative integers only');
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return /^[89a-f]/.test(hex) ? `00${hex}` : hex;
}

function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** H over the bytes a hex string spells. */
function hashHex(hex: string): string {
  return sha256Hex(Buffer.from(hex, 'hex'));
}

function toBigInt(hex: string): bigint {
  return BigInt(`0x${hex}`);
}

export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e >>= 1n;
  }
  return result;
}

/** The SRP multiplier k = H(N | g). */
export const k = toBigInt(hashHex(padHex(N) + padHex(g)));

/** The user pool's name as SRP uses it: the part of the pool id after the underscore (`us-east-1_AbC` → `AbC`). */
export function userPoolName(userPoolId: string): string {
  return userPoolId.split('_')[1] ?? '';
}

/** x = H(salt | H(poolName | userId | ":" | password)), with the salt as the integer its hex spells. */
export function privateKey(poolName: string, userId: string, password: string, saltHex: string): bigint {
  const inner = sha256Hex(`${poolName}${userId}:${password}`);
  return toBigInt(hashHex(padHex(toBigInt(saltHex)) + inner));
}

/** What the pool keeps instead of a password. */
export interface PasswordVerifier {
  /** Hex, 16 random bytes. */
  salt: string;
  /** Hex of v = g^x mod N. */
  verifier: string;
}

export function computeVerifier(poolName: string, userId: string, password: string, saltHex: string): string {
  return modPow(g, privateKey(poolName, userId, password, saltHex), N).toString(16);
}

export function createPasswordVerifier(poolName: string, userId: string, password: string): PasswordVerifier {
  const salt = randomBytes(16).toString('hex');
  return { salt, verifier: computeVerifier(poolName, userId, password, salt) };
}

/** The server's ephemeral pair: b secret, B = k·v + g^b mod N public. */
export interface ServerEphemeral {
  b: bigint;
  B: bigint;
}

export function createServerEphemeral(verifierHex: string, secret: bigint = toBigInt(randomBytes(32).toString('hex'))): ServerEphemeral {
  const v = toBigInt(verifierHex);
  const B = (k * v + modPow(g, secret, N)) % N;
  // B ≡ 0 (mod N) would let a client skip the password; with a random b it does not happen, but never send it.
  if (B === 0n) return createServerEphemeral(verifierHex);
  return { b: secret, B };
}

/** A as the client sent it (hex), or null when it is not a usable SRP value (not hex, or A ≡ 0 mod N). */
export function parseClientPublic(hex: string): bigint | null {
  if (!/^[0-9a-fA-F]{1,1024}$/.test(hex)) return null;
  const A = toBigInt(hex);
  return A % N === 0n ? null : A;
}

/** u = H(A | B). */
export function scramblingParameter(A: bigint, B: bigint): bigint {
  return toBigInt(hashHex(padHex(A) + padHex(B)));
}

const HKDF_INFO = Buffer.concat([Buffer.from('Caldera Derived Key', 'utf8'), Buffer.from([1])]);

/** The 16-byte key both sides derive: S = (A · v^u)^b mod N on this side, then HKDF(ikm S, salt u). */
export function serverSessionKey(input: { A: bigint; B: bigint; b: bigint; verifierHex: string }): Buffer | null {
  const u = scramblingParameter(input.A, input.B);
  if (u === 0n) return null;
  const v = toBigInt(input.verifierHex);
  const S = modPow((input.A * modPow(v, u, N)) % N, input.b, N);
  const prk = createHmac('sha256', Buffer.from(padHex(u), 'hex')).update(Buffer.from(padHex(S), 'hex')).digest();
  return createHmac('sha256', prk).update(HKDF_INFO).digest().subarray(0, 16);
}

/** PASSWORD_CLAIM_SIGNATURE: base64 HMAC-SHA256(key, poolName | userId | secretBlock bytes | timestamp). */
export function passwordClaimSignature(input: {
  key: Buffer;
  poolName: string;
  userId: string;
  secretBlock: string;
  timestamp: string;
}): Buffer {
  return createHmac('sha256', input.key)
    .update(Buffer.from(input.poolName, 'utf8'))
    .update(Buffer.from(input.userId, 'utf8'))
    .update(Buffer.from(input.secretBlock, 'base64'))
    .update(Buffer.from(input.timestamp, 'utf8'))
    .digest();
}
