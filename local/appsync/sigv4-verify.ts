// Verifies an AWS Signature Version 4 `Authorization` header the way an AWS endpoint does: parse it, find the
// secret for its access key, recompute the signature over the same signed headers with @smithy/signature-v4,
// compare in constant time, and refuse dates more than 15 minutes away from now.
import { createHash, timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';

export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

export interface SigV4Secret {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The request as it arrived. Header names in any case; body exactly as received. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[]>;
  headers: Record<string, string | undefined>;
  body: string | Uint8Array;
}

export interface VerifyOptions {
  secrets: SigV4Secret[];
  region: string;
  service: string;
  now?: Date;
  maxSkewMs?: number;
}

export type SigV4Failure =
  | 'MissingAuthorization'
  | 'IncompleteSignature'
  | 'UnrecognizedClient'
  | 'WrongScope'
  | 'SignatureExpired'
  | 'PayloadHashMismatch'
  | 'SignatureDoesNotMatch';

export type SigV4Verification =
  | { ok: true; accessKeyId: string; sessionToken: string | null; signedAt: Date }
  | { ok: false; reason: SigV4Failure; message: string };

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';

export function isSigV4Authorization(value: string | undefined): boolean {
  return value !== undefined && value.trimStart().startsWith(`${ALGORITHM} `);
}

function parseAuthorization(value: string): ParsedAuthorization | null {
  const trimmed = value.trim();
  if (!trimmed.startsWith(`${ALGORITHM} `)) return null;
  const params = new Map<string, string>();
  for (const part of trimmed.slice(ALGORITHM.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq === -1) return null;
    params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = params.get('Credential');
  const signedHeaders = params.get('SignedHeaders');
  const signature = params.get('Signature');
  if (!credential || !signedHeaders || !signature) return null;
  const scope = credential.split('/');
  if (scope.length !== 5 || scope[4] !== 'aws4_request') return null;
  const [accessKeyId, date, region, service] = scope;
  if (!/^[0-9a-f]{64}$/.test(signature)) return null;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** 20240131T235959Z → Date */
function parseAmzDate(value: string): Date | null {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? null : date;
}

function formatAmzDate(date: Date): string {
  return date.toISOString().replace(/[:-]|\.\d{3}/g, '');
}

function lowerCaseHeaders(headers: Record<string, string | undefined>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out.set(name.toLowerCase(), value);
  }
  return out;
}

function fail(reason: SigV4Failure, message: string): SigV4Verification {
  return { ok: false, reason, message };
}

export async function verifySigV4(request: ReceivedRequest, options: VerifyOptions): Promise<SigV4Verification> {
  const headers = lowerCaseHeaders(request.headers);
  const authorization = headers.get('authorization');
  if (!authorization) return fail('MissingAuthorization', 'Missing authorization header');
  const parsed = parseAuthorization(authorization);
  if (!parsed) return fail('IncompleteSignature', 'Valid authorization header not provided.');

  const amzDateHeader = headers.get('x-amz-date');
  if (!amzDateHeader || !parsed.signedHeaders.includes('x-amz-date')) {
    return fail(
      'IncompleteSignature',
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  }
  const signedAt = parseAmzDate(amzDateHeader);
  if (!signedAt || !amzDateHeader.startsWith(parsed.date)) {
    return fail('IncompleteSignature', 'Valid authorization header not provided.');
  }
  if (!parsed.signedHeaders.includes('host')) {
    return fail('IncompleteSignature', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }

  const secret = options.secrets.find((s) => s.accessKeyId === parsed.accessKeyId);
  if (!secret) return fail('UnrecognizedClient', 'The security token included in the request is invalid.');
  if (parsed.region !== options.region) {
    return fail('WrongScope', `Credential should be scoped to a valid region, not '${parsed.region}'.`);
  }
  if (parsed.service !== options.service) {
    return fail('WrongScope', `Credential should be scoped to correct service: '${options.service}'.`);
  }

  const now = options.now ?? new Date();
  const skew = options.maxSkewMs ?? MAX_CLOCK_SKEW_MS;
  if (signedAt.getTime() < now.getTime() - skew) {
    return fail(
      'SignatureExpired',
      `Signature expired: ${amzDateHeader} is now earlier than ${formatAmzDate(new Date(now.getTime() - skew))} ` +
        `(${formatAmzDate(now)} - ${skew / 60000} min.)`,
    );
  }
  if (signedAt.getTime() > now.getTime() + skew) {
    return fail(
      'SignatureExpired',
      `Signature not yet current: ${amzDateHeader} is still later than ${formatAmzDate(new Date(now.getTime() + skew))} ` +
        `(${formatAmzDate(now)} + ${skew / 60000} min.)`,
    );
  }

  const body = typeof request.body === 'string' ? Buffer.from(request.body, 'utf8') : Buffer.from(request.body);
  const declaredHash = headers.get('x-amz-content-sha256');
  if (declaredHash !== undefined && declaredHash !== createHash('sha256').update(body).digest('hex')) {
    return fail('PayloadHashMismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }

  // Rebuild the request with exactly the headers the client signed, then sign it again with our copy of the secret.
  const signedHeaders: Record<string, string> = {};
  for (const name of parsed.signedHeaders) {
    const value = headers.get(name);
    if (value === undefined) {
      return fail('SignatureDoesNotMatch', signatureMismatchMessage);
    }
    signedHeaders[name] = value;
  }
  const host = signedHeaders.host;
  const [hostname, port] = host.split(':');
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: secret.accessKeyId,
      secretAccessKey: secret.secretAccessKey,
      sessionToken: signedHeaders['x-amz-security-token'],
    },
    region: parsed.region,
    service: parsed.service,
    sha256: Sha256,
    applyChecksum: false,
  });
  const resigned = await signer.sign(
    {
      method: request.method.toUpperCase(),
      protocol: 'https:',
      hostname,
      port: port ? Number(port) : undefined,
      path: request.path,
      query: request.query ?? {},
      headers: signedHeaders,
      body,
    },
    { signingDate: signedAt, signableHeaders: new Set(parsed.signedHeaders) },
  );
  const recomputed = parseAuthorization(String(resigned.headers.authorization ?? ''));
  if (!recomputed || recomputed.signedHeaders.join(';') !== parsed.signedHeaders.join(';')) {
    return fail('SignatureDoesNotMatch', signatureMismatchMessage);
  }
  const expected = Buffer.from(recomputed.signature, 'hex');
  const given = Buffer.from(parsed.signature, 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
    return fail('SignatureDoesNotMatch', signatureMismatchMessage);
  }
  return {
    ok: true,
    accessKeyId: parsed.accessKeyId,
    sessionToken: headers.get('x-amz-security-token') ?? null,
    signedAt,
  };
}

const signatureMismatchMessage =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
