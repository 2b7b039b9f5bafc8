// util.authType(): the authorization mode read from ctx.identity, as EvaluateCode recorded it for each identity
// shape of AppSync's resolver context reference and for the shapes between two modes.
import { requestBody, type ConformanceCase } from '../case.ts';
import { recorded } from './sources.ts';

const entry = (name: string) => recorded('authType', `util.authType ${name} 1`);

const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example';
const IAM = {
  accountId: '123456789012',
  cognitoIdentityPoolId: null,
  cognitoIdentityId: null,
  sourceIp: ['192.0.2.1'],
  username: 'AKIAEXAMPLE',
  userArn: 'arn:aws:iam::123456789012:user/example',
  cognitoIdentityAuthType: null,
  cognitoIdentityAuthProvider: null,
};
const IAM_FROM_IDENTITY_POOL = {
  ...IAM,
  cognitoIdentityPoolId: 'us-east-1:00000000-0000-0000-0000-000000000000',
  cognitoIdentityId: 'us-east-1:11111111-1111-1111-1111-111111111111',
  username: 'AROAEXAMPLE:CognitoIdentityCredentials',
  userArn: 'arn:aws:sts::123456789012:assumed-role/authRole/CognitoIdentityCredentials',
  cognitoIdentityAuthType: 'authenticated',
  cognitoIdentityAuthProvider: 'cognito-idp.us-east-1.amazonaws.com/us-east-1_example',
};
const USER_POOL = {
  sourceIp: ['192.0.2.1'],
  username: 'example',
  groups: ['admins'],
  sub: 'sub-1',
  issuer: ISSUER,
  claims: { sub: 'sub-1', iss: ISSUER, 'cognito:username': 'example', token_use: 'id' },
  defaultAuthStrategy: 'ALLOW',
};
const OIDC = { sub: 'sub-1', issuer: 'https://accounts.example.com', claims: { sub: 'sub-1', iss: 'https://accounts.example.com' } };

const without = (identity: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(identity).filter(([k]) => k !== key));

/** [snapshot entry, context, answer] */
const rows: ReadonlyArray<readonly [string, Record<string, unknown>, string]> = [
  ['the mode of an identity a request carrying no identity is authorized by an API key', {}, 'API Key Authorization'],
  ['the mode of an identity a null identity is authorized by an API key', { identity: null }, 'API Key Authorization'],
  ['the mode of an identity an identity carrying a resolver context comes from a Lambda authorizer', { identity: { resolverContext: { userId: 'example' } } }, 'Lambda Authorization'],
  ['the mode of an identity an identity with no keys comes from a Lambda authorizer', { identity: {} }, 'Lambda Authorization'],
  ['the mode of an identity an IAM identity is IAM authorized even though it also carries a username', { identity: IAM }, 'IAM Authorization'],
  ['the mode of an identity an IAM identity from a Cognito identity pool is IAM authorized', { identity: IAM_FROM_IDENTITY_POOL }, 'IAM Authorization'],
  ['the mode of an identity a user pool identity is user pool authorized', { identity: USER_POOL }, 'User Pool Authorization'],
  ['the mode of an identity a user pool identity without groups is user pool authorized', { identity: without(USER_POOL, 'groups') }, 'User Pool Authorization'],
  ['the mode of an identity an identity holding a subject, an issuer and claims is OIDC authorized', { identity: OIDC }, 'Open ID Connect Authorization'],
  ['an identity that names no single mode an IAM identity missing its user ARN falls back to an API key', { identity: without(IAM, 'userArn') }, 'API Key Authorization'],
  ['an identity that names no single mode an IAM identity whose source IP is null falls back to an API key', { identity: { ...IAM, sourceIp: null } }, 'API Key Authorization'],
  ['an identity that names no single mode a user pool identity missing its default auth strategy falls back to an API key', { identity: without(USER_POOL, 'defaultAuthStrategy') }, 'API Key Authorization'],
  ['an identity that names no single mode a user pool identity missing its source IP falls back to an API key', { identity: without(USER_POOL, 'sourceIp') }, 'API Key Authorization'],
  ['an identity that names no single mode an identity holding only claims falls back to an API key', { identity: { claims: OIDC.claims } }, 'API Key Authorization'],
  ['an identity that names no single mode a subject, an issuer and claims beside a username fall back to an API key', { identity: { ...OIDC, username: 'example' } }, 'API Key Authorization'],
];

export const authTypeCases: ConformanceCase[] = rows.map(([name, context, authType]) => ({
  name: `util.authType: ${name}`,
  source: entry(name),
  context,
  code: requestBody('  return { authType: util.authType() };'),
  expect: { result: { authType } },
}));
