// Authorization as AppSync applies it: the request is authenticated by one mode (API key or SigV4), then
// every field is checked against the modes its directives allow (the field's own @aws_* directives, else
// its type's, else the API's default mode).
import { timingSafeEqual } from 'node:crypto';
import type { ConstDirectiveNode, GraphQLField, GraphQLObjectType } from 'graphql';
import type { Identity, IamIdentity } from './runtime/types.ts';
import { isSigV4Authorization, verifySigV4, type ReceivedRequest } from './sigv4-verify.ts';

export type AuthMode = 'API_KEY' | 'AWS_IAM' | 'AMAZON_COGNITO_USER_POOLS' | 'OPENID_CONNECT' | 'AWS_LAMBDA';

export const DEFAULT_AUTH_MODE: AuthMode = 'API_KEY';

export interface IamConfig {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  region: string;
}

export interface AuthConfig {
  apiKeys: string[];
  iam: IamConfig;
}

export interface Caller {
  mode: AuthMode;
  identity: Identity;
}

export type Authentication = { ok: true; caller: Caller } | { ok: false; message: string };

export const NOT_AUTHORIZED = 'You are not authorized to make this call.';
export const INVALID_AUTHORIZATION_HEADER = 'Valid authorization header not provided.';

const DIRECTIVE_MODES: Record<string, AuthMode> = {
  aws_api_key: 'API_KEY',
  aws_iam: 'AWS_IAM',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
  aws_oidc: 'OPENID_CONNECT',
  aws_lambda: 'AWS_LAMBDA',
};

function modesOf(directives: ReadonlyArray<ConstDirectiveNode> | undefined): AuthMode[] {
  const modes: AuthMode[] = [];
  for (const directive of directives ?? []) {
    const mode = DIRECTIVE_MODES[directive.name.value];
    if (mode && !modes.includes(mode)) modes.push(mode);
  }
  return modes;
}

/** The auth modes allowed to read `field` of `type`. */
export function allowedModes(
  type: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
  defaultMode: AuthMode = DEFAULT_AUTH_MODE,
): AuthMode[] {
  const fieldModes = modesOf(field.astNode?.directives);
  if (fieldModes.length > 0) return fieldModes;
  const typeModes = [type.astNode, ...type.extensionASTNodes].flatMap((node) => modesOf(node?.directives));
  if (typeModes.length > 0) return [...new Set(typeModes)];
  return [defaultMode];
}

export function unauthorizedFieldMessage(fieldName: string, typeName: string): string {
  return `Not Authorized to access ${fieldName} on type ${typeName}`;
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function iamIdentity(config: IamConfig, accessKeyId: string, sourceIp: string | null): IamIdentity {
  return {
    accountId: config.accountId,
    cognitoIdentityPoolId: null,
    cognitoIdentityId: null,
    cognitoIdentityAuthType: null,
    cognitoIdentityAuthProvider: null,
    sourceIp: sourceIp ? [sourceIp] : [],
    username: accessKeyId,
    userArn: `arn:aws:iam::${config.accountId}:user/${accessKeyId}`,
  };
}

/**
 * Authenticates one request (an HTTP POST, the WebSocket handshake or a subscription `start`).
 * SigV4 when an `Authorization: AWS4-HMAC-SHA256 ...` header is present, else the API key.
 */
export async function authenticate(
  config: AuthConfig,
  request: ReceivedRequest,
  sourceIp: string | null,
  now: Date = new Date(),
): Promise<Authentication> {
  const headers = new Map(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const authorization = headers.get('authorization');
  if (isSigV4Authorization(authorization)) {
    const verified = await verifySigV4(request, {
      secrets: [{ accessKeyId: config.iam.accessKeyId, secretAccessKey: config.iam.secretAccessKey }],
      region: config.iam.region,
      service: 'appsync',
      now,
    });
    if (!verified.ok) return { ok: false, message: verified.message };
    return { ok: true, caller: { mode: 'AWS_IAM', identity: iamIdentity(config.iam, verified.accessKeyId, sourceIp) } };
  }
  const apiKey = headers.get('x-api-key');
  if (apiKey !== undefined) {
    if (config.apiKeys.some((key) => sameSecret(key, apiKey))) {
      return { ok: true, caller: { mode: 'API_KEY', identity: null } };
    }
    return { ok: false, message: NOT_AUTHORIZED };
  }
  if (authorization !== undefined) return { ok: false, message: INVALID_AUTHORIZATION_HEADER };
  return { ok: false, message: NOT_AUTHORIZED };
}
