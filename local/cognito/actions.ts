// Which `X-Amz-Target` actions the local pool answers, and which of them need AWS credentials (SigV4),
// as in Cognito: the Admin* and ListUsers actions are IAM-authorized, the client actions are not.
import {
  adminAddUserToGroup, adminGetUser, adminListGroupsForUser, adminRemoveUserFromGroup, listUsers,
} from './admin-actions.ts';
import {
  confirmSignUp, getTokensFromRefreshToken, getUser, globalSignOut, initiateAuth, resendConfirmationCode,
  respondToAuthChallenge, revokeToken, signUp,
} from './client-actions.ts';
import type { JsonObject } from './input.ts';
import type { Pool } from './pool.ts';

export const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';

export interface Action {
  /** True when the caller must sign the request with the pool's AWS credentials. */
  signed: boolean;
  run(pool: Pool, body: JsonObject): Promise<unknown>;
}

const client = (run: Action['run']): Action => ({ signed: false, run });
const admin = (run: Action['run']): Action => ({ signed: true, run });

export const ACTIONS: ReadonlyMap<string, Action> = new Map([
  ['SignUp', client(signUp)],
  ['ConfirmSignUp', client(confirmSignUp)],
  ['ResendConfirmationCode', client(resendConfirmationCode)],
  ['InitiateAuth', client(initiateAuth)],
  ['RespondToAuthChallenge', client(respondToAuthChallenge)],
  ['GetTokensFromRefreshToken', client(getTokensFromRefreshToken)],
  ['GetUser', client(getUser)],
  ['GlobalSignOut', client(globalSignOut)],
  ['RevokeToken', client(revokeToken)],
  ['AdminGetUser', admin(adminGetUser)],
  ['AdminAddUserToGroup', admin(adminAddUserToGroup)],
  ['AdminRemoveUserFromGroup', admin(adminRemoveUserFromGroup)],
  ['AdminListGroupsForUser', admin(adminListGroupsForUser)],
  ['ListUsers', admin(listUsers)],
]);

/** The action named by an `X-Amz-Target` header, or null when the header names none of this service's. */
export function actionName(target: string | undefined): string | null {
  if (!target?.startsWith(TARGET_PREFIX)) return null;
  const name = target.slice(TARGET_PREFIX.length);
  return /^[A-Za-z]{1,64}$/.test(name) ? name : null;
}
