import {
  AdminAddUserToGroupCommand, AdminGetUserCommand, AdminListGroupsForUserCommand, AdminRemoveUserFromGroupCommand,
  CognitoIdentityProviderClient, ListUsersCommand, ResourceNotFoundException, UserNotFoundException,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, CREDENTIALS, REGION, signedCall, signUp, startTestPool, USER_POOL_ID, type TestPool } from './support/pool.ts';

let pool: TestPool;
let client: CognitoIdentityProviderClient;
let aliceSub: string;

beforeAll(async () => {
  pool = await startTestPool();
  // A back end's client, unchanged but for the endpoint.
  client = new CognitoIdentityProviderClient({ region: REGION, endpoint: pool.server.endpoint, credentials: { ...CREDENTIALS } });
  aliceSub = String((await signUp(pool.server.endpoint, 'alice@example.com')).json.UserSub);
  for (const name of ['bob', 'carol', 'dave']) await signUp(pool.server.endpoint, `${name}@example.com`);
});

afterAll(async () => {
  client.destroy();
  await pool.remove();
});

describe('the admin actions, called by the AWS SDK', () => {
  it('AdminGetUser finds a user by email or by internal username', async () => {
    for (const username of ['alice@example.com', aliceSub]) {
      const user = await client.send(new AdminGetUserCommand({ UserPoolId: USER_POOL_ID, Username: username }));
      expect(user).toMatchObject({ Username: aliceSub, Enabled: true, UserStatus: 'CONFIRMED' });
      expect(user.UserCreateDate).toBeInstanceOf(Date);
      expect(user.UserAttributes).toContainEqual({ Name: 'email', Value: 'alice@example.com' });
    }
  });

  it('adds a user to the admins group and removes them, idempotently', async () => {
    const input = { UserPoolId: USER_POOL_ID, Username: 'alice@example.com', GroupName: 'admins' };
    await client.send(new AdminAddUserToGroupCommand(input));
    await client.send(new AdminAddUserToGroupCommand(input));
    const groups = await client.send(new AdminListGroupsForUserCommand({ UserPoolId: USER_POOL_ID, Username: aliceSub }));
    expect(groups.Groups?.map((group) => group.GroupName)).toEqual(['admins']);
    await client.send(new AdminRemoveUserFromGroupCommand(input));
    const after = await client.send(new AdminListGroupsForUserCommand({ UserPoolId: USER_POOL_ID, Username: aliceSub }));
    expect(after.Groups).toEqual([]);
  });

  it('refuses an unknown user, an unknown group and another pool as Cognito does', async () => {
    await expect(client.send(new AdminAddUserToGroupCommand({ UserPoolId: USER_POOL_ID, Username: 'nobody@example.com', GroupName: 'admins' })))
      .rejects.toThrow(UserNotFoundException);
    await expect(client.send(new AdminAddUserToGroupCommand({ UserPoolId: USER_POOL_ID, Username: 'alice@example.com', GroupName: 'owners' })))
      .rejects.toThrow(ResourceNotFoundException);
    await expect(client.send(new AdminGetUserCommand({ UserPoolId: 'us-east-1_Other', Username: 'alice@example.com' })))
      .rejects.toThrow('User pool us-east-1_Other does not exist.');
  });

  it('lists users a page at a time, filtered by email prefix or exact value', async () => {
    const first = await client.send(new ListUsersCommand({ UserPoolId: USER_POOL_ID, Limit: 3 }));
    expect(first.Users).toHaveLength(3);
    const second = await client.send(new ListUsersCommand({ UserPoolId: USER_POOL_ID, Limit: 3, PaginationToken: first.PaginationToken }));
    expect(second.Users).toHaveLength(1);
    expect(second.PaginationToken).toBeUndefined();
    const all = [...first.Users ?? [], ...second.Users ?? []].map((user) => user.Attributes?.find((a) => a.Name === 'email')?.Value);
    expect(all).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.com', 'dave@example.com']);

    const prefix = await client.send(new ListUsersCommand({ UserPoolId: USER_POOL_ID, Filter: 'email ^= "CA"' }));
    expect(prefix.Users?.map((user) => user.Attributes?.find((a) => a.Name === 'email')?.Value)).toEqual(['carol@example.com']);
    const exact = await client.send(new ListUsersCommand({ UserPoolId: USER_POOL_ID, Filter: `sub = "${aliceSub}"`, AttributesToGet: ['email'] }));
    expect(exact.Users).toEqual([expect.objectContaining({ Username: aliceSub, Attributes: [{ Name: 'email', Value: 'alice@example.com' }] })]);
  });

  it('refuses a filter it cannot read and a pagination token it did not make', async () => {
    await expect(client.send(new ListUsersCommand({ UserPoolId: USER_POOL_ID, Filter: 'custom:role = "x"' }))).rejects.toThrow('Invalid search attribute');
    await expect(client.send(new ListUsersCommand({ UserPoolId: USER_POOL_ID, Filter: 'email contains x' }))).rejects.toThrow('Error while parsing filter.');
    await expect(client.send(new ListUsersCommand({ UserPoolId: USER_POOL_ID, PaginationToken: 'bm9wZQ' }))).rejects.toThrow('Invalid pagination token.');
  });
});

describe('SigV4 on the admin actions', () => {
  const request = { UserPoolId: USER_POOL_ID, Username: 'alice@example.com', GroupName: 'admins' };

  it('refuses an unsigned request', async () => {
    const reply = await call(pool.server.endpoint, 'AdminAddUserToGroup', request);
    expect(reply.status).toBe(400);
    expect(reply.json).toEqual({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
  });

  it('refuses an unknown access key, a wrong secret, another region and a stale signature', async () => {
    const endpoint = pool.server.endpoint;
    expect((await signedCall(endpoint, 'AdminAddUserToGroup', request, { accessKeyId: 'AKIAOTHER', secretAccessKey: CREDENTIALS.secretAccessKey })).json.__type)
      .toBe('UnrecognizedClientException');
    expect((await signedCall(endpoint, 'AdminAddUserToGroup', request, { ...CREDENTIALS, secretAccessKey: 'wrong' })).json.__type)
      .toBe('InvalidSignatureException');
    expect((await signedCall(endpoint, 'AdminAddUserToGroup', request, CREDENTIALS, { region: 'eu-west-1' })).json.__type)
      .toBe('InvalidSignatureException');
    expect((await signedCall(endpoint, 'AdminAddUserToGroup', request, CREDENTIALS, { signingDate: new Date(Date.now() - 20 * 60_000) })).json.message)
      .toMatch(/^Signature expired/);
    const groups = await client.send(new AdminListGroupsForUserCommand({ UserPoolId: USER_POOL_ID, Username: 'alice@example.com' }));
    expect(groups.Groups).toEqual([]);
  });

  it('refuses a signed body changed on the way', async () => {
    const reply = await signedCall(pool.server.endpoint, 'AdminAddUserToGroup', { ...request, Username: 'bob@example.com' }, CREDENTIALS, {
      tamperBody: (body) => body.replace('bob@example.com', 'alice@example.com'),
    });
    expect(reply.json.__type).toBe('InvalidSignatureException');
    const groups = await client.send(new AdminListGroupsForUserCommand({ UserPoolId: USER_POOL_ID, Username: 'alice@example.com' }));
    expect(groups.Groups).toEqual([]);
  });

  it('does not let an app client call them with a user\'s token instead', async () => {
    const reply = await call(pool.server.endpoint, 'AdminAddUserToGroup', request, { authorization: 'Bearer eyJhbGciOi' });
    expect(reply.json.__type).toBe('IncompleteSignatureException');
    const groups = await client.send(new AdminListGroupsForUserCommand({ UserPoolId: USER_POOL_ID, Username: 'alice@example.com' }));
    expect(groups.Groups).toEqual([]);
  });
});
