// The pool's users, group memberships and refresh-token sessions, held in memory and written through to
// one JSON document per pool (`<dir>/<userPoolId>.json`, mode 0600) after every change. No passwords:
// a user has an SRP salt and verifier. No refresh tokens either: a session keeps the token's SHA-256.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { isObject } from './input.ts';
import { jsonFile, type JsonFile } from './json-file.ts';

export type UserStatus = 'CONFIRMED';

export interface UserRecord {
  /** The internal username: a UUID, equal to `sub`, as in a pool whose users sign in with their email. */
  username: string;
  sub: string;
  email: string;
  emailVerified: boolean;
  /** Other standard attributes the user gave (name, given_name, ...). */
  attributes: Record<string, string>;
  status: UserStatus;
  enabled: boolean;
  /** Hex SRP salt and verifier. */
  salt: string;
  verifier: string;
  groups: string[];
  /** Milliseconds since the epoch. */
  createdAt: number;
  updatedAt: number;
}

export interface GroupRecord {
  name: string;
  createdAt: number;
}

/** What one sign-in started: the refresh token it issued and every token refreshed from it share `originJti`. */
export interface RefreshSession {
  tokenHash: string;
  originJti: string;
  eventId: string;
  sub: string;
  clientId: string;
  /** Seconds: when the user authenticated (the tokens' auth_time). */
  authTime: number;
  issuedAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

interface PoolDocument {
  version: 1;
  userPoolId: string;
  groups: GroupRecord[];
  users: UserRecord[];
  sessions: RefreshSession[];
}

function isPoolDocument(value: unknown): value is PoolDocument {
  return isObject(value) && value.version === 1 && typeof value.userPoolId === 'string' &&
    Array.isArray(value.groups) && Array.isArray(value.users) && Array.isArray(value.sessions);
}

/** Sessions kept per user: the oldest go first (their tokens stop refreshing), so repeated sign-ins cannot grow the file without end. */
export const MAX_SESSIONS_PER_USER = 50;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Emails (the pool's usernames) match without regard to case. */
export const emailKey = (email: string) => email.toLowerCase();

export class UserDirectory {
  private readonly byUsername = new Map<string, UserRecord>();
  private readonly byEmail = new Map<string, UserRecord>();
  private readonly sessionsByHash = new Map<string, RefreshSession>();
  private readonly sessionsByOrigin = new Map<string, RefreshSession>();

  private constructor(
    private readonly file: JsonFile<PoolDocument>,
    private readonly userPoolId: string,
    readonly groups: readonly GroupRecord[],
    users: UserRecord[],
    sessions: RefreshSession[],
  ) {
    for (const user of users) this.index(user);
    for (const session of sessions) this.indexSession(session);
  }

  /** Opens the pool's document, creating it with the given groups on first use. */
  static async open(directory: string, userPoolId: string, groupNames: readonly string[], now: number): Promise<UserDirectory> {
    const file = jsonFile(join(directory, `${userPoolId}.json`), isPoolDocument);
    const stored = await file.read();
    const known = new Map((stored?.groups ?? []).map((group) => [group.name, group]));
    const groups = groupNames.map((name) => known.get(name) ?? { name, createdAt: now });
    const directoryInstance = new UserDirectory(file, userPoolId, groups, stored?.users ?? [], stored?.sessions ?? []);
    if (!stored) await directoryInstance.save();
    return directoryInstance;
  }

  private index(user: UserRecord): void {
    this.byUsername.set(user.username, user);
    this.byEmail.set(emailKey(user.email), user);
  }

  private indexSession(session: RefreshSession): void {
    this.sessionsByHash.set(session.tokenHash, session);
    this.sessionsByOrigin.set(session.originJti, session);
  }

  private dropSession(session: RefreshSession): void {
    this.sessionsByHash.delete(session.tokenHash);
    this.sessionsByOrigin.delete(session.originJti);
  }

  /** Resolves when every change made so far is on disk. */
  idle(): Promise<void> {
    return this.file.idle();
  }

  private save(): Promise<void> {
    return this.file.write({
      version: 1,
      userPoolId: this.userPoolId,
      groups: [...this.groups],
      users: [...this.byUsername.values()],
      sessions: [...this.sessionsByHash.values()],
    });
  }

  /** By internal username or by email, as sign-in and the admin actions accept either. */
  findUser(name: string): UserRecord | undefined {
    return this.byUsername.get(name) ?? this.byEmail.get(emailKey(name));
  }

  findByEmail(email: string): UserRecord | undefined {
    return this.byEmail.get(emailKey(email));
  }

  /** Every user, oldest first. */
  users(): UserRecord[] {
    return [...this.byUsername.values()].sort((a, b) => a.createdAt - b.createdAt || a.username.localeCompare(b.username));
  }

  async addUser(user: UserRecord): Promise<void> {
    this.index(user);
    await this.save();
  }

  async setGroups(user: UserRecord, groups: string[], now: number): Promise<void> {
    user.groups = groups;
    user.updatedAt = now;
    await this.save();
  }

  sessionByToken(token: string): RefreshSession | undefined {
    return this.sessionsByHash.get(hashToken(token));
  }

  sessionByOrigin(originJti: string): RefreshSession | undefined {
    return this.sessionsByOrigin.get(originJti);
  }

  /** Records a new session, forgetting expired ones and the user's oldest beyond the cap. */
  async addSession(session: RefreshSession, now: number): Promise<void> {
    for (const existing of [...this.sessionsByHash.values()]) {
      if (existing.expiresAt <= now) this.dropSession(existing);
    }
    const own = [...this.sessionsByHash.values()].filter((s) => s.sub === session.sub).sort((a, b) => a.issuedAt - b.issuedAt);
    for (const old of own.slice(0, Math.max(0, own.length - MAX_SESSIONS_PER_USER + 1))) this.dropSession(old);
    this.indexSession(session);
    await this.save();
  }

  async revokeSession(session: RefreshSession, now: number): Promise<void> {
    session.revokedAt ??= now;
    await this.save();
  }

  async revokeSessionsOf(sub: string, now: number): Promise<number> {
    let count = 0;
    for (const session of this.sessionsByHash.values()) {
      if (session.sub === sub && session.revokedAt === null) {
        session.revokedAt = now;
        count += 1;
      }
    }
    await this.save();
    return count;
  }
}
