// Users of the local cloud's user pool, signed up and signed in through its Cognito endpoint with the AWS SDK,
// as a back end or a script would. Their ID tokens authorize GraphQL requests and realtime subscriptions.
import { randomUUID } from 'node:crypto';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  SignUpCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import type { LocalCloud } from '../../../local/cloud.ts';

export interface TestUser {
  email: string;
  password: string;
  /** The user pool `sub`: the owner of the user's blobs. */
  sub: string;
  idToken: string;
  accessToken: string;
}

export const TEST_PASSWORD = 'Correct-Horse-9';

/** The user pool of a cloud (in process, or one `npm start` runs). */
type WithUserPool = Pick<LocalCloud, 'region' | 'userPool'>;

function poolClient(cloud: WithUserPool): CognitoIdentityProviderClient {
  return new CognitoIdentityProviderClient({ region: cloud.region, endpoint: cloud.userPool.endpoint });
}

/** Signs in an existing user with USER_PASSWORD_AUTH. */
export async function signIn(cloud: WithUserPool, email: string, password = TEST_PASSWORD): Promise<TestUser> {
  const client = poolClient(cloud);
  try {
    const { AuthenticationResult } = await client.send(new InitiateAuthCommand({
      ClientId: cloud.userPool.clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }));
    const idToken = AuthenticationResult?.IdToken;
    const accessToken = AuthenticationResult?.AccessToken;
    if (!idToken || !accessToken) {
      throw new Error(`no tokens for ${email}`);
    }
    return { email, password, sub: String(decodeJwt(idToken).sub), idToken, accessToken };
  } finally {
    client.destroy();
  }
}

/** A new user (a fresh email unless given), signed up and signed in. */
export async function signUp(cloud: WithUserPool, email = `user-${randomUUID()}@example.com`, password = TEST_PASSWORD): Promise<TestUser> {
  const client = poolClient(cloud);
  try {
    await client.send(new SignUpCommand({
      ClientId: cloud.userPool.clientId,
      Username: email,
      Password: password,
      UserAttributes: [{ Name: 'email', Value: email }],
    }));
  } finally {
    client.destroy();
  }
  return signIn(cloud, email, password);
}

const defaults = new WeakMap<WithUserPool, Promise<TestUser>>();

/** One user per cloud for tests about something else than who calls. */
export function defaultUser(cloud: WithUserPool): Promise<TestUser> {
  let user = defaults.get(cloud);
  if (!user) {
    user = signUp(cloud);
    defaults.set(cloud, user);
  }
  return user;
}
