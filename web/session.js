// @ts-check
// The signed-in user's tokens: kept in sessionStorage (this tab only, gone when it closes), the ID token refreshed
// with the refresh token shortly before it expires and whenever the API refuses it, and the refresh token revoked
// at sign-out. Every caller asks `idToken()` just before it sends a request.
import { ApiError, isRecord } from './errors.js';

/** The prefix of every session kept in sessionStorage (the demo page and GraphiQL share them). */
export const SESSION_STORAGE_PREFIX = 'image-labels.session:';

/**
 * Where a session is kept: one per user pool, app client and API, so tokens never go to an API they were not
 * obtained for.
 * @param {{ graphqlUrl: string, userPool: { endpoint: string, userPoolId: string, clientId: string } }} config
 */
export function sessionStorageKey(config) {
  const { endpoint, userPoolId, clientId } = config.userPool;
  return `${SESSION_STORAGE_PREFIX}${endpoint}|${userPoolId}|${clientId}|${config.graphqlUrl}`;
}

/**
 * sessionStorage (this tab only), or a map for this page only when the browser refuses storage.
 * @returns {KeyValueStorage}
 */
export function tabStorage() {
  try {
    sessionStorage.getItem(SESSION_STORAGE_PREFIX);
    return sessionStorage;
  } catch {
    /** @type {Map<string, string>} */
    const memory = new Map();
    return {
      getItem: (key) => memory.get(key) ?? null,
      setItem: (key, value) => void memory.set(key, value),
      removeItem: (key) => void memory.delete(key),
    };
  }
}

/** Refresh this long before the ID token expires: a request sent with it must still be accepted on arrival. */
export const REFRESH_MARGIN_MS = 5 * 60_000;
/** setTimeout's largest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * @typedef {import('./user-pool.js').UserPoolClient} UserPoolClient
 * @typedef {import('./user-pool.js').Tokens} Tokens
 * @typedef {{ getItem(key: string): string | null, setItem(key: string, value: string): void,
 *   removeItem(key: string): void }} KeyValueStorage
 * @typedef {{ idToken: string, accessToken: string, refreshToken: string | null, expiresAt: number }} StoredTokens
 * @typedef {{ email: string, sub: string }} User
 * @typedef {'signed-in' | 'signed-out' | 'ended' | 'refreshed'} SessionChange
 * @typedef {{ setTimeout(handler: () => void, ms: number): unknown, clearTimeout(handle: unknown): void }} Timers
 * @typedef {{
 *   user(): User | null,
 *   restore(): User | null,
 *   signIn(email: string, password: string): Promise<User>,
 *   signOut(): Promise<{ revoked: boolean, error: ApiError | null }>,
 *   idToken(): Promise<string>,
 *   refreshAfterUnauthorized(): Promise<string>,
 * }} Session
 */

/**
 * @param {{ pool: UserPoolClient, storage: KeyValueStorage, storageKey: string, now?: () => number,
 *   timers?: Timers, onChange?: (change: SessionChange, user: User | null, reason: ApiError | null) => void }} options
 * @returns {Session}
 */
export function createSession(options) {
  const { pool, storage, storageKey } = options;
  const now = options.now ?? Date.now;
  const timers = options.timers ?? {
    setTimeout: (handler, ms) => globalThis.setTimeout(handler, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(/** @type {number} */ (handle)),
  };
  const onChange = options.onChange ?? (() => {});

  /** @type {StoredTokens | null} */
  let tokens = null;
  /** @type {unknown} */
  let timer = null;
  /** @type {Promise<string> | null} */
  let refreshing = null;
  // Bumped whenever the tokens are replaced or forgotten: a refresh that started before is then dropped, so that a
  // sign-out during a refresh stays a sign-out.
  let generation = 0;

  /** @param {StoredTokens | null} next */
  function keep(next) {
    generation += 1;
    tokens = next;
    refreshing = null; // a refresh in flight belongs to the tokens being replaced
    timers.clearTimeout(timer);
    timer = null;
    try {
      if (next) storage.setItem(storageKey, JSON.stringify(next));
      else storage.removeItem(storageKey);
    } catch {
      // Storage may be disabled: the session then lives in this page only.
    }
    if (next) scheduleRefresh(next.expiresAt);
  }

  /** @param {number} expiresAt */
  function scheduleRefresh(expiresAt) {
    const delay = expiresAt - REFRESH_MARGIN_MS - now();
    if (delay <= 0) return; // due already: the next idToken() refreshes
    timer = timers.setTimeout(() => {
      timer = null;
      refresh().catch(() => {
        // A failed background refresh is retried by the next request; an ended session has told onChange.
      });
    }, Math.min(delay, MAX_TIMER_MS));
  }

  /** @param {Tokens} fresh @returns {StoredTokens} */
  function stored(fresh) {
    const { idToken, accessToken, refreshToken, expiresInSeconds } = fresh;
    return { idToken, accessToken, refreshToken, expiresAt: now() + expiresInSeconds * 1000 };
  }

  /** @returns {Promise<string>} */
  function refresh() {
    if (refreshing) return refreshing;
    const attempt = (async () => {
      const started = generation;
      const refreshToken = tokens?.refreshToken;
      if (!refreshToken) throw end(new ApiError('Session', 'UnauthorizedException', 'The session cannot be renewed: sign in again'));
      const signedOutMeanwhile = () => new ApiError('Session', 'NotSignedIn', 'Signed out meanwhile');
      /** @type {Tokens} */
      let fresh;
      try {
        fresh = await pool.refresh(refreshToken);
      } catch (error) {
        if (generation !== started) throw signedOutMeanwhile();
        if (error instanceof ApiError && error.source === 'Cognito' && error.type === 'NotAuthorizedException') {
          // The refresh token was revoked or has expired: only a new sign-in helps.
          throw end(new ApiError('Session', 'UnauthorizedException', `Your session has ended (${error.message}): sign in again`));
        }
        throw error;
      }
      if (generation !== started) throw signedOutMeanwhile();
      const next = stored(fresh);
      keep(next);
      onChange('refreshed', userOf(next.idToken), null);
      return next.idToken;
    })().finally(() => {
      if (refreshing === attempt) refreshing = null;
    });
    refreshing = attempt;
    return attempt;
  }

  /** @param {ApiError} reason */
  function end(reason) {
    keep(null);
    onChange('ended', null, reason);
    return reason;
  }

  return {
    user() {
      return tokens ? userOf(tokens.idToken) : null;
    },

    restore() {
      /** @type {unknown} */
      let saved = null;
      try {
        saved = JSON.parse(storage.getItem(storageKey) ?? 'null');
      } catch {
        saved = null;
      }
      const restored = storedTokensOf(saved);
      keep(restored);
      return restored ? userOf(restored.idToken) : null;
    },

    async signIn(email, password) {
      const fresh = await pool.signIn(email, password);
      const next = stored(fresh);
      keep(next);
      const user = userOf(next.idToken);
      onChange('signed-in', user, null);
      return user;
    },

    async signOut() {
      const refreshToken = tokens?.refreshToken ?? null;
      /** @type {ApiError | null} */
      let failure = null;
      try {
        if (refreshToken) await pool.revoke(refreshToken);
      } catch (error) {
        failure = error instanceof ApiError ? error : new ApiError('Cognito', 'Error', String(error));
      }
      keep(null);
      onChange('signed-out', null, null);
      return { revoked: refreshToken !== null && failure === null, error: failure };
    },

    async idToken() {
      if (!tokens) throw new ApiError('Session', 'NotSignedIn', 'Sign in first');
      if (now() >= tokens.expiresAt - REFRESH_MARGIN_MS) return refresh();
      return tokens.idToken;
    },

    refreshAfterUnauthorized() {
      if (!tokens) return Promise.reject(new ApiError('Session', 'NotSignedIn', 'Sign in first'));
      return refresh();
    },
  };
}

/**
 * Who the ID token names. The page reads claims for display only: the API verifies the token.
 * @param {string} idToken
 * @returns {User}
 */
export function userOf(idToken) {
  const claims = decodeJwtPayload(idToken) ?? {};
  const email = typeof claims.email === 'string' ? claims.email
    : typeof claims['cognito:username'] === 'string' ? claims['cognito:username'] : '';
  return { email, sub: typeof claims.sub === 'string' ? claims.sub : '' };
}

/**
 * The payload of a JWT (base64url JSON between the first two dots), or null when it is not one.
 * @param {string} token
 * @returns {Record<string, unknown> | null}
 */
export function decodeJwtPayload(token) {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)), (c) => c.charCodeAt(0));
    /** @type {unknown} */
    const payload = JSON.parse(new TextDecoder().decode(bytes));
    return isRecord(payload) ? payload : null;
  } catch {
    return null;
  }
}

/** @param {unknown} value @returns {StoredTokens | null} */
function storedTokensOf(value) {
  if (!isRecord(value)) return null;
  const { idToken, accessToken, refreshToken, expiresAt } = value;
  if (typeof idToken !== 'string' || typeof accessToken !== 'string' || typeof expiresAt !== 'number') return null;
  if (refreshToken !== null && typeof refreshToken !== 'string') return null;
  if (!decodeJwtPayload(idToken)) return null;
  return { idToken, accessToken, refreshToken, expiresAt };
}
