// Verifies AWS Signature Version 4 on an S3 request as S3 does, for both forms:
//  - header-signed requests (`Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`),
//    which is how the SDK calls S3;
//  - presigned URLs (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
//    `X-Amz-SignedHeaders`, `X-Amz-Signature` in the query), which is how clients upload.
// The canonical request is rebuilt from what arrived on the wire (the signed headers' actual
// values, so a Content-Type or Content-Length other than the signed one changes the signature)
// and signed again with @smithy/signature-v4's canonicalisation and key derivation.
import { timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { ALGORITHM_IDENTIFIER, SignatureV4Base, getCanonicalHeaders, getSigningKey } from '@smithy/signature-v4';
import type { HttpRequest, QueryParameterBag } from '@smithy/types';
import { ACCESS_DENIED, s3Error, type S3ErrorSpec } from './errors.ts';

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
const MAX_PRESIGNED_SECONDS = 7 * 24 * 60 * 60;
const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;
const LONG_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export interface IncomingSignedRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  /** Node's `req.rawHeaders`: name, value, name, value… */
  rawHeaders: readonly string[];
}

export interface VerifyOptions {
  region: string;
  /** The secret of a known access key; undefined for an unknown key. */
  secretFor(accessKeyId: string): string | undefined;
  service?: string;
  now?: Date;
}

export type Verification =
  | {
    ok: true;
    accessKeyId: string;
    presigned: boolean;
    /** UNSIGNED-PAYLOAD, a hex SHA-256 the body must match, or a STREAMING-… mode. */
    payloadHash: string;
  }
  | { ok: false; error: S3ErrorSpec };

/** @smithy/signature-v4's canonical request and string-to-sign, for a request we did not sign. */
class CanonicalSigner extends SignatureV4Base {
  constructor(region: string, service: string) {
    // S3 paths are not escaped a second time: the canonical URI is the (normalised) encoded path.
    super({ service, region, credentials: { accessKeyId: '', secretAccessKey: '' }, sha256: Sha256, uriEscapePath: false });
  }

  canonicalRequest(request: HttpRequest, headers: Record<string, string>, payloadHash: string): string {
    return this.createCanonicalRequest(request, headers, payloadHash);
  }

  stringToSign(longDate: string, scope: string, canonicalRequest: string): Promise<string> {
    return this.createStringToSign(longDate, scope, canonicalRequest, ALGORITHM_IDENTIFIER);
  }
}

class Refusal extends Error {
  constructor(readonly spec: S3ErrorSpec) {
    super(spec.message);
  }
}

function refuse(status: number, code: string, message: string, detail?: Record<string, string>): never {
  throw new Refusal(s3Error(status, code, message, detail));
}

/** RFC 3986 encoding as S3 canonicalises a key segment: everything but A-Z a-z 0-9 - . _ ~ is escaped. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => '%' + char.charCodeAt(0).toString(16).toUpperCase());
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return refuse(400, 'InvalidURI', "Couldn't parse the specified URI.");
  }
}

function canonicalPath(rawPath: string): string {
  return rawPath.split('/').map((segment) => encodeRfc3986(decode(segment))).join('/');
}

function parseQuery(rawQuery: string): QueryParameterBag {
  const query: Record<string, string | string[]> = {};
  for (const piece of rawQuery.split('&')) {
    if (piece === '') {
      continue;
    }
    const equals = piece.indexOf('=');
    const name = decode(equals === -1 ? piece : piece.slice(0, equals));
    const value = equals === -1 ? '' : decode(piece.slice(equals + 1));
    const existing = query[name];
    query[name] = existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
  }
  return query;
}

function single(query: QueryParameterBag, name: string): string | undefined {
  const value = query[name];
  return Array.isArray(value) ? value[0] ?? undefined : value ?? undefined;
}

function headerMap(rawHeaders: readonly string[]): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = rawHeaders[index]!.toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), rawHeaders[index + 1]!]);
  }
  return headers;
}

function parseLongDate(text: string | undefined): Date | null {
  const match = text ? LONG_DATE.exec(text) : null;
  if (!match) {
    return null;
  }
  const [, year, month, day, hour, minute, second] = match.map(Number) as number[];
  const date = new Date(Date.UTC(year!, month! - 1, day!, hour!, minute!, second!));
  return Number.isNaN(date.getTime()) ? null : date;
}

function longDateOf(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

function s3Time(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface Credential {
  accessKeyId: string;
  shortDate: string;
  region: string;
  service: string;
}

function parseCredential(text: string, malformed: (message: string) => never): Credential {
  const parts = text.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || parts.some((part) => part === '')) {
    return malformed(`Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`);
  }
  const [accessKeyId, shortDate, region, service] = parts as [string, string, string, string];
  return { accessKeyId, shortDate, region, service };
}

function bytesOf(text: string): string {
  return Array.from(Buffer.from(text, 'utf8'), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}

function sameSignature(provided: string, computed: string): boolean {
  const a = Buffer.from(provided, 'utf8');
  const b = Buffer.from(computed, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

interface Parsed {
  credential: Credential;
  longDate: string;
  signedHeaders: string[];
  signature: string;
  payloadHash: string;
  /** The query without X-Amz-Signature (getCanonicalQuery skips it anyway). */
  query: QueryParameterBag;
  presigned: boolean;
}

const AUTHORIZATION_PATTERN = /^AWS4-HMAC-SHA256\s+(.*)$/s;

function parseHeaderAuth(authorization: string, headers: Map<string, string[]>, query: QueryParameterBag, now: Date): Parsed {
  const match = AUTHORIZATION_PATTERN.exec(authorization.trim());
  if (!match) {
    if (/^AWS\s/.test(authorization)) {
      return refuse(400, 'InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
    }
    return refuse(400, 'InvalidArgument', 'Unsupported Authorization Type', { ArgumentName: 'Authorization', ArgumentValue: authorization });
  }
  const components = new Map<string, string>();
  for (const component of match[1]!.split(',')) {
    const equals = component.indexOf('=');
    if (equals > 0) {
      components.set(component.slice(0, equals).trim(), component.slice(equals + 1).trim());
    }
  }
  const malformed = (message: string): never => refuse(400, 'AuthorizationHeaderMalformed', message);
  for (const name of ['Credential', 'SignedHeaders', 'Signature']) {
    if (!components.get(name)) {
      malformed(`The authorization header is malformed; missing ${name}.`);
    }
  }
  const credential = parseCredential(components.get('Credential')!, () =>
    malformed('The authorization header is malformed; the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".'));

  const amzDate = headers.get('x-amz-date')?.[0];
  let requestDate = parseLongDate(amzDate);
  let longDate = amzDate;
  if (!amzDate) {
    const dateHeader = headers.get('date')?.[0];
    const parsed = dateHeader ? new Date(dateHeader) : null;
    requestDate = parsed && !Number.isNaN(parsed.getTime()) ? parsed : null;
    longDate = requestDate ? longDateOf(requestDate) : undefined;
  }
  if (!requestDate || !longDate) {
    return refuse(403, 'AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  }
  if (Math.abs(now.getTime() - requestDate.getTime()) > MAX_CLOCK_SKEW_MS) {
    return refuse(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
      RequestTime: amzDate ?? headers.get('date')?.[0] ?? '',
      ServerTime: s3Time(now),
      MaxAllowedSkewMilliseconds: String(MAX_CLOCK_SKEW_MS),
    });
  }
  const payloadHash = headers.get('x-amz-content-sha256')?.[0];
  if (payloadHash === undefined) {
    return refuse(400, 'InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  }
  return {
    credential,
    longDate,
    signedHeaders: components.get('SignedHeaders')!.split(';').map((name) => name.trim().toLowerCase()),
    signature: components.get('Signature')!,
    payloadHash,
    query,
    presigned: false,
  };
}

function parseQueryAuth(query: QueryParameterBag, headers: Map<string, string[]>, now: Date): Parsed {
  const bad = (message: string): never => refuse(400, 'AuthorizationQueryParametersError', message);
  if (single(query, 'X-Amz-Algorithm') !== ALGORITHM_IDENTIFIER) {
    bad('X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  }
  const required = ['X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Expires'];
  if (required.some((name) => single(query, name) === undefined)) {
    bad('Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  }
  const credential = parseCredential(single(query, 'X-Amz-Credential')!, bad);
  const longDate = single(query, 'X-Amz-Date')!;
  const signedAt = parseLongDate(longDate);
  if (!signedAt) {
    bad('X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"');
  }
  const expiresText = single(query, 'X-Amz-Expires')!;
  const expires = Number(expiresText);
  if (!/^\d+$/.test(expiresText) || !Number.isSafeInteger(expires)) {
    bad('X-Amz-Expires should be a number');
  }
  if (expires > MAX_PRESIGNED_SECONDS) {
    bad('X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds');
  }
  const expiresAt = new Date(signedAt!.getTime() + expires * 1000);
  if (now.getTime() > expiresAt.getTime()) {
    refuse(403, 'AccessDenied', 'Request has expired', {
      'X-Amz-Expires': expiresText,
      Expires: s3Time(expiresAt),
      ServerTime: s3Time(now),
    });
  }
  const signedHeaders = single(query, 'X-Amz-SignedHeaders')!.split(';').map((name) => name.trim().toLowerCase());
  // A presigned URL carries no body hash unless one was signed in: the payload is unsigned.
  const payloadHash = (signedHeaders.includes('x-amz-content-sha256') ? headers.get('x-amz-content-sha256')?.[0] : undefined) ??
    single(query, 'X-Amz-Content-Sha256') ?? UNSIGNED_PAYLOAD;
  return {
    credential,
    longDate,
    signedHeaders,
    signature: single(query, 'X-Amz-Signature')!,
    payloadHash,
    query,
    presigned: true,
  };
}

/** Verifies the request's signature; resolves with the caller's access key or the error S3 would answer. */
export async function verifySigV4(request: IncomingSignedRequest, options: VerifyOptions): Promise<Verification> {
  const service = options.service ?? 's3';
  const now = options.now ?? new Date();
  try {
    const questionMark = request.url.indexOf('?');
    const rawPath = questionMark === -1 ? request.url : request.url.slice(0, questionMark);
    const query = parseQuery(questionMark === -1 ? '' : request.url.slice(questionMark + 1));
    const headers = headerMap(request.rawHeaders);
    const authorization = headers.get('authorization')?.[0];
    const presignedV4 = single(query, 'X-Amz-Algorithm') !== undefined;
    const presignedV2 = single(query, 'Signature') !== undefined || single(query, 'AWSAccessKeyId') !== undefined;

    if ([authorization !== undefined, presignedV4, presignedV2].filter(Boolean).length > 1) {
      refuse(400, 'InvalidArgument', 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified', {
        ArgumentName: 'Authorization',
        ArgumentValue: authorization ?? '',
      });
    }
    if (presignedV2) {
      refuse(400, 'InvalidRequest', 'The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.');
    }
    if (authorization === undefined && !presignedV4) {
      return { ok: false, error: ACCESS_DENIED };
    }
    const parsed = authorization !== undefined
      ? parseHeaderAuth(authorization, headers, query, now)
      : parseQueryAuth(query, headers, now);
    const { credential } = parsed;

    const secret = options.secretFor(credential.accessKeyId);
    if (secret === undefined) {
      refuse(403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: credential.accessKeyId });
    }
    const malformed = parsed.presigned ? 'AuthorizationQueryParametersError' : 'AuthorizationHeaderMalformed';
    const prefix = parsed.presigned ? 'Error parsing the X-Amz-Credential parameter;' : 'The authorization header is malformed;';
    if (credential.region !== options.region) {
      refuse(400, malformed, `${prefix} the region '${credential.region}' is wrong; expecting '${options.region}'`, { Region: options.region });
    }
    if (credential.service !== service) {
      refuse(400, malformed, `${prefix} incorrect service '${credential.service}'. This endpoint belongs to '${service}'.`);
    }
    if (credential.shortDate !== parsed.longDate.slice(0, 8)) {
      refuse(400, malformed, `${prefix} Invalid credential date. Date is not the same as X-Amz-Date.`);
    }
    const payload = parsed.payloadHash;
    if (payload !== UNSIGNED_PAYLOAD && !payload.startsWith('STREAMING-') && !/^[0-9a-f]{64}$/i.test(payload)) {
      refuse(400, 'InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, or a valid sha256 value.', {
        ArgumentName: 'x-amz-content-sha256',
        ArgumentValue: payload,
      });
    }

    // x-amz-* headers change what S3 does (ACL, metadata, checksums…): they must be covered by the signature.
    const unsigned = [...headers.keys()].filter((name) => name.startsWith('x-amz-') && !parsed.signedHeaders.includes(name)).sort();
    if (unsigned.length > 0) {
      refuse(403, 'AccessDenied', 'There were headers present in the request which were not signed', { HeadersNotSigned: unsigned.join(', ') });
    }

    const signedValues: Record<string, string> = {};
    for (const name of parsed.signedHeaders) {
      signedValues[name] = (headers.get(name) ?? []).join(',');
    }
    const canonicalHeaders = getCanonicalHeaders({ headers: signedValues } as HttpRequest, undefined, new Set(parsed.signedHeaders));
    const signer = new CanonicalSigner(credential.region, service);
    const canonicalRequest = signer.canonicalRequest(
      { method: request.method.toUpperCase(), protocol: 'http:', hostname: '', path: canonicalPath(rawPath), query: parsed.query, headers: {} },
      // Every signed header, present or not: an absent one canonicalises as an empty value.
      Object.fromEntries(parsed.signedHeaders.map((name) => [name, canonicalHeaders[name] ?? ''])),
      payload,
    );
    const scope = `${credential.shortDate}/${credential.region}/${credential.service}/aws4_request`;
    const stringToSign = await signer.stringToSign(parsed.longDate, scope, canonicalRequest);
    const key = await getSigningKey(Sha256, { accessKeyId: credential.accessKeyId, secretAccessKey: secret! }, credential.shortDate, credential.region, service);
    const hmac = new Sha256(key);
    hmac.update(stringToSign);
    const computed = Buffer.from(await hmac.digest()).toString('hex');

    if (!sameSignature(parsed.signature, computed)) {
      refuse(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
        AWSAccessKeyId: credential.accessKeyId,
        StringToSign: stringToSign,
        SignatureProvided: parsed.signature,
        StringToSignBytes: bytesOf(stringToSign),
        CanonicalRequest: canonicalRequest,
        CanonicalRequestBytes: bytesOf(canonicalRequest),
      });
    }
    return { ok: true, accessKeyId: credential.accessKeyId, presigned: parsed.presigned, payloadHash: payload };
  } catch (error) {
    if (error instanceof Refusal) {
      return { ok: false, error: error.spec };
    }
    throw error;
  }
}
