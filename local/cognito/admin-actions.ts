// The actions a back end calls with AWS credentials (SigV4 is checked before they run): read users, list
// them, and manage membership of the pool's group. `Username` may be the internal username or the email.
import type { GroupRecord, UserRecord } from './directory.ts';
import { CognitoError, invalidParameter } from './errors.ts';
import { optionalInteger, optionalString, requiredString, stringList, type JsonObject } from './input.ts';
import { filterMatches, parseUserFilter, type SearchableAttribute } from './list-users-filter.ts';
import { requirePool, userAttributes, type AttributeType, type Pool } from './pool.ts';

const USER_POOL_ID = { max: 55, pattern: /^[\w-]+_[0-9a-zA-Z]+$/ };
const USERNAME = { max: 128 };
const GROUP_NAME = { max: 128 };
const PAGINATION_TOKEN = { max: 1024 };
const MAX_LIMIT = 60;

/** Dates travel as epoch seconds, as in every AWS JSON 1.1 response. */
const epochSeconds = (milliseconds: number) => milliseconds / 1000;

function findUser(pool: Pool, body: JsonObject): UserRecord {
  requirePool(pool, requiredString(body, 'UserPoolId', USER_POOL_ID));
  const user = pool.directory.findUser(requiredString(body, 'Username', USERNAME));
  if (!user) throw new CognitoError('UserNotFoundException', 'User does not exist.');
  return user;
}

function findGroup(pool: Pool, body: JsonObject): GroupRecord {
  const name = requiredString(body, 'GroupName', GROUP_NAME);
  const group = pool.directory.groups.find((candidate) => candidate.name === name);
  if (!group) throw new CognitoError('ResourceNotFoundException', 'Group not found.');
  return group;
}

export async function adminGetUser(pool: Pool, body: JsonObject) {
  const user = findUser(pool, body);
  return {
    Username: user.username,
    UserAttributes: userAttributes(user),
    UserCreateDate: epochSeconds(user.createdAt),
    UserLastModifiedDate: epochSeconds(user.updatedAt),
    Enabled: user.enabled,
    UserStatus: user.status,
  };
}

/** Takes effect in the user's next tokens (sign-in or refresh), as in the cloud. */
export async function adminAddUserToGroup(pool: Pool, body: JsonObject): Promise<Record<string, never>> {
  const user = findUser(pool, body);
  const group = findGroup(pool, body);
  if (!user.groups.includes(group.name)) await pool.directory.setGroups(user, [...user.groups, group.name], pool.now().getTime());
  return {};
}

export async function adminRemoveUserFromGroup(pool: Pool, body: JsonObject): Promise<Record<string, never>> {
  const user = findUser(pool, body);
  const group = findGroup(pool, body);
  if (user.groups.includes(group.name)) {
    await pool.directory.setGroups(user, user.groups.filter((name) => name !== group.name), pool.now().getTime());
  }
  return {};
}

export async function adminListGroupsForUser(pool: Pool, body: JsonObject) {
  const user = findUser(pool, body);
  optionalInteger(body, 'Limit', 0, MAX_LIMIT);
  optionalString(body, 'NextToken', PAGINATION_TOKEN);
  return {
    Groups: pool.directory.groups
      .filter((group) => user.groups.includes(group.name))
      .map((group) => ({
        GroupName: group.name,
        UserPoolId: pool.config.userPoolId,
        CreationDate: epochSeconds(group.createdAt),
        LastModifiedDate: epochSeconds(group.createdAt),
      })),
  };
}

function searchValue(user: UserRecord, attribute: SearchableAttribute): string | undefined {
  switch (attribute) {
    case 'username': return user.username;
    case 'email': return user.email;
    case 'sub': return user.sub;
    case 'cognito:user_status': return user.status;
    case 'status': return user.enabled ? 'Enabled' : 'Disabled';
    default: return user.attributes[attribute];
  }
}

const encodeToken = (username: string) => Buffer.from(JSON.stringify({ after: username })).toString('base64url');

function decodeToken(token: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { after?: unknown }).after === 'string') {
      return (parsed as { after: string }).after;
    }
  } catch {
    // answered below
  }
  throw invalidParameter('Invalid pagination token.');
}

/** The page after the user a pagination token names; that user must still match. */
function startAfter(users: UserRecord[], username: string): number {
  const index = users.findIndex((user) => user.username === username);
  if (index === -1) throw invalidParameter('Invalid pagination token.');
  return index + 1;
}

export async function listUsers(pool: Pool, body: JsonObject) {
  requirePool(pool, requiredString(body, 'UserPoolId', USER_POOL_ID));
  const limit = optionalInteger(body, 'Limit', 0, MAX_LIMIT) || MAX_LIMIT;
  const token = optionalString(body, 'PaginationToken', PAGINATION_TOKEN);
  const wanted = stringList(body, 'AttributesToGet', 25, { max: 32 });
  const filter = parseUserFilter(optionalString(body, 'Filter', { min: 0, max: 256 }));
  const matching = pool.directory.users().filter((user) => filterMatches(filter, (attribute) => searchValue(user, attribute)));
  const start = token === undefined ? 0 : startAfter(matching, decodeToken(token));
  const page = matching.slice(start, start + limit);
  const more = start + limit < matching.length;
  const pick = (attributes: AttributeType[]) => (wanted ? attributes.filter((a) => wanted.includes(a.Name)) : attributes);
  return {
    Users: page.map((user) => ({
      Username: user.username,
      Attributes: pick(userAttributes(user)),
      UserCreateDate: epochSeconds(user.createdAt),
      UserLastModifiedDate: epochSeconds(user.updatedAt),
      Enabled: user.enabled,
      UserStatus: user.status,
    })),
    ...(more && page.length > 0 ? { PaginationToken: encodeToken(page[page.length - 1].username) } : {}),
  };
}
