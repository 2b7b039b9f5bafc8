// SigV4 on the IAM-authorized actions: the signature is recomputed with the local credentials by the same
// verifier the local AppSync uses, and a refusal is reported as AWS JSON services report it.
import type { IncomingHttpHeaders } from 'node:http';
import { verifySigV4, type SigV4Failure } from '../appsync/sigv4-verify.ts';
import { CognitoError, type CognitoErrorType } from './errors.ts';

export const SIGNING_SERVICE = 'cognito-idp';

const FAILURE_TYPES: Record<SigV4Failure, CognitoErrorType> = {
  MissingAuthorization: 'MissingAuthenticationTokenException',
  IncompleteSignature: 'IncompleteSignatureException',
  UnrecognizedClient: 'UnrecognizedClientException',
  WrongScope: 'InvalidSignatureException',
  SignatureExpired: 'InvalidSignatureException',
  PayloadHashMismatch: 'InvalidSignatureException',
  SignatureDoesNotMatch: 'InvalidSignatureException',
};

export interface SignedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Resolves when the request is signed with the given credentials for this region and service; rejects as AWS would. */
export async function requireSignature(
  request: SignedRequest,
  credentials: { accessKeyId: string; secretAccessKey: string },
  region: string,
  now: Date,
): Promise<void> {
  const url = new URL(request.url, 'http://local');
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = value;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const verification = await verifySigV4(
    { method: request.method, path: url.pathname, query, headers, body: request.body },
    { secrets: [credentials], region, service: SIGNING_SERVICE, now },
  );
  if (!verification.ok) {
    const message = verification.reason === 'MissingAuthorization' ? 'Missing Authentication Token' : verification.message;
    throw new CognitoError(FAILURE_TYPES[verification.reason], message);
  }
}
