// Authorization as AppSync applies it: the request is authenticated by one of the API's modes, chosen from its
// headers (SigV4 → AWS_IAM, `x-api-key` → API_KEY, any other `Authorization` → AMAZON_COGNITO_USER_POOLS), then
// every field is checked against the rules its directives give (the field's own @aws_* directives, else its
// type's, else the API's default mode), Cognito groups included.
import { timingSafeEqual } from 'node:crypto';
import { Kind, type ConstDirectiveNode, type GraphQLField, type GraphQLObjectType } from 'graphql';
import type { AccessControl } from '../iam/access.ts';
import type { IamIdentity, Identity } from './runtime/types.ts';
import { isSigV4Authorization, verifySigV4, type ReceivedRequest } from './sigv4-verify.ts';
import { cognitoIdentity, type JwtRefusal, type UserPoolVerifier } from './user-pool-auth.ts';

export type AuthMode = 'API_KEY' | 'AWS_IAM' | 'AMAZON_COGNITO_USER_POOLS' | 'OPENID_CONNECT' | 'AWS_LAMBDA';

export const DEFAULT_AUTH_MODE: AuthMode = 'API_KEY';

/** Modes this local AppSync can authenticate; OPENID_CONNECT and AWS_LAMBDA are refused at start. */
export const SUPPORTED_AUTH_MODES: readonly AuthMode[] = ['API_KEY', 'AWS_IAM', 'AMAZON_COGNITO_USER_POOLS'];

export interface IamConfig {
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  region: string;
  /**
   * The keys IAM callers may sign with and what each may do: a caller whose policies do not allow `appsync:GraphQL`
   * on a field of the operation is refused as AppSync refuses it. Default: the key above, allowed everything.
   */
  access?: AccessControl;
  /** The API's id, in the ARNs of its fields (arn:aws:appsync:<region>:<account>:apis/<id>/types/<type>/fields/<field>). */
  apiId?: string;
}

export interface AuthConfig {
  /** The API's authenticationType: fields and types without auth directives admit this mode only. */
  defaultMode: AuthMode;
  /** additionalAuthenticationProviders. */
  additionalModes: readonly AuthMode[];
  apiKeys: readonly string[];
  iam?: IamConfig;
  userPool?: UserPoolVerifier;
}

export interface Caller {
  mode: AuthMode;
  identity: Identity;
  /** AWS_IAM: the access key the request was signed with. */
  accessKeyId?: string;
  /** When the credentials stop being valid (a token's `exp`, epoch ms); absent when they do not expire. */
  expiresAt?: number;
}

export type Authentication = { ok: true; caller: Caller } | { ok: false; message: string };

export const NOT_AUTHORIZED = 'You are not authorized to make this call.';
export const INVALID_AUTHORIZATION_HEADER = 'Valid authorization header not provided.';
export const UNPARSEABLE_JWT = 'Unable to parse JWT token.';
export const TOKEN_EXPIRED = 'Token has expired.';

const JWT_REFUSALS: Record<JwtRefusal, string> = {
  UNPARSEABLE: UNPARSEABLE_JWT,
  EXPIRED: TOKEN_EXPIRED,
  NOT_AUTHORIZED,
};

export function enabledModes(config: Pick<AuthConfig, 'defaultMode' | 'additionalModes'>): Set<AuthMode> {
  return new Set([config.defaultMode, ...config.additionalModes]);
}

/** Fails fast on a configuration AppSync would refuse or this server cannot serve. */
export function checkAuthConfig(config: AuthConfig): void {
  for (const mode of enabledModes(config)) {
    if (!SUPPORTED_AUTH_MODES.includes(mode)) throw new Error(`auth mode ${mode} is not supported by the local AppSync`);
    if (mode === 'AWS_IAM' && !config.iam) throw new Error('auth mode AWS_IAM needs the iam option');
    if (mode === 'AMAZON_COGNITO_USER_POOLS' && !config.userPool) {
      throw new Error('auth mode AMAZON_COGNITO_USER_POOLS needs the userPool option');
    }
  }
}

const DIRECTIVE_MODES: Record<string, AuthMode> = {
  aws_api_key: 'API_KEY',
  aws_iam: 'AWS_IAM',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
  aws_oidc: 'OPENID_CONNECT',
  aws_lambda: 'AWS_LAMBDA',
};

/** One way in to a field: a mode, and for user pools the groups of which the caller must be in one (null: any user). */
export interface FieldRule {
  mode: AuthMode;
  cognitoGroups: readonly string[] | null;
}

function cognitoGroupsOf(directive: ConstDirectiveNode): string[] | null {
  const argument = directive.arguments?.find((a) => a.name.value === 'cognito_groups');
  if (!argument) return null;
  const values = argument.value.kind === Kind.LIST ? argument.value.values : [argument.value];
  return values.flatMap((v) => (v.kind === Kind.STRING ? [v.value] : []));
}

function rulesOf(directives: ReadonlyArray<ConstDirectiveNode> | undefined): FieldRule[] {
  const rules: FieldRule[] = [];
  for (const directive of directives ?? []) {
    const mode = DIRECTIVE_MODES[directive.name.value];
    if (mode) rules.push({ mode, cognitoGroups: mode === 'AMAZON_COGNITO_USER_POOLS' ? cognitoGroupsOf(directive) : null });
  }
  return rules;
}

/** The rules that admit callers to `field` of `type`. */
export function fieldRules(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>, defaultMode: AuthMode): FieldRule[] {
  const fieldLevel = rulesOf(field.astNode?.directives);
  if (fieldLevel.length > 0) return fieldLevel;
  const typeLevel = [type.astNode, ...type.extensionASTNodes].flatMap((node) => rulesOf(node?.directives));
  if (typeLevel.length > 0) return typeLevel;
  return [{ mode: defaultMode, cognitoGroups: null }];
}

/** The auth modes allowed to read `field` of `type`. */
export function allowedModes(
  type: GraphQLObjectType,
  field: GraphQLField<unknown, unknown>,
  defaultMode: AuthMode = DEFAULT_AUTH_MODE,
): AuthMode[] {
  return [...new Set(fieldRules(type, field, defaultMode).map((rule) => rule.mode))];
}

export function isAuthorized(rules: readonly FieldRule[], caller: Caller): boolean {
  return rules.some((rule) => {
    if (rule.mode !== caller.mode) return false;
    if (rule.cognitoGroups === null) return true;
    const groups = caller.identity && 'groups' in caller.identity ? (caller.identity.groups ?? []) : [];
    return rule.cognitoGroups.some((group) => groups.includes(group));
  });
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
    userArn: config.access?.principalArn(accessKeyId) ?? `arn:aws:iam::${config.accountId}:user/${accessKeyId}`,
  };
}

/** What AppSync answers an IAM caller whose policies do not allow appsync:GraphQL on a field of the operation. */
export const IAM_PERMISSION_DENIED = 'Permission denied';

/**
 * Whether an IAM caller's policies deny `appsync:GraphQL` on one of the operation's top-level fields (AppSync checks
 * each against arn:aws:appsync:<region>:<account>:apis/<id>/types/<type>/fields/<field>). Other modes: never.
 */
export function iamDenies(config: AuthConfig, caller: Caller, typeName: string, fieldNames: readonly string[]): boolean {
  const iam = config.iam;
  if (caller.mode !== 'AWS_IAM' || !iam?.access || caller.accessKeyId === undefined) return false;
  const api = `arn:aws:appsync:${iam.region}:${iam.accountId}:apis/${iam.apiId ?? 'local'}`;
  return fieldNames
    .filter((name) => !name.startsWith('__'))
    .some((name) => !iam.access!.decide(caller.accessKeyId!, 'appsync:GraphQL', `${api}/types/${typeName}/fields/${name}`).allowed);
}

async function authenticateUserPool(verifier: UserPoolVerifier, token: string, sourceIp: string | null): Promise<Authentication> {
  const verified = await verifier.verify(token);
  if (!verified.ok) return { ok: false, message: JWT_REFUSALS[verified.refusal] };
  return {
    ok: true,
    caller: { mode: 'AMAZON_COGNITO_USER_POOLS', identity: cognitoIdentity(verified.claims, sourceIp), expiresAt: verified.expiresAt },
  };
}

/**
 * Authenticates one request (an HTTP POST, the WebSocket handshake or a subscription `start`) with the mode its
 * headers select: SigV4 `Authorization` → AWS_IAM; else `x-api-key` → API_KEY; else any `Authorization` → the
 * user pool (raw JWT, no "Bearer" prefix). A mode the API does not enable is refused.
 */
export async function authenticate(
  config: AuthConfig,
  request: ReceivedRequest,
  sourceIp: string | null,
  now: Date = new Date(),
): Promise<Authentication> {
  const modes = enabledModes(config);
  const headers = new Map(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const authorization = headers.get('authorization');
  if (isSigV4Authorization(authorization)) {
    if (!modes.has('AWS_IAM') || !config.iam) return { ok: false, message: NOT_AUTHORIZED };
    const verified = await verifySigV4(request, {
      secrets: config.iam.access?.keyPairs() ?? [{ accessKeyId: config.iam.accessKeyId, secretAccessKey: config.iam.secretAccessKey }],
      region: config.iam.region,
      service: 'appsync',
      now,
    });
    if (!verified.ok) return { ok: false, message: verified.message };
    return {
      ok: true,
      caller: { mode: 'AWS_IAM', identity: iamIdentity(config.iam, verified.accessKeyId, sourceIp), accessKeyId: verified.accessKeyId },
    };
  }
  const apiKey = headers.get('x-api-key');
  if (apiKey !== undefined) {
    if (modes.has('API_KEY') && config.apiKeys.some((key) => sameSecret(key, apiKey))) {
      return { ok: true, caller: { mode: 'API_KEY', identity: null } };
    }
    return { ok: false, message: NOT_AUTHORIZED };
  }
  if (authorization !== undefined) {
    if (modes.has('AMAZON_COGNITO_USER_POOLS') && config.userPool) {
      return authenticateUserPool(config.userPool, authorization, sourceIp);
    }
    return { ok: false, message: INVALID_AUTHORIZATION_HEADER };
  }
  return { ok: false, message: config.defaultMode === 'API_KEY' ? NOT_AUTHORIZED : INVALID_AUTHORIZATION_HEADER };
}
