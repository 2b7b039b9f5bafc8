// How requests are authorized: each provider adds its headers to a GraphQL request, and gives the realtime
// connection the same authorization (AppSync sends it as the `header` of the handshake and with every `start`).
import { ImageLabelsError } from './errors.js';

export type AuthMode = 'AMAZON_COGNITO_USER_POOLS' | 'AWS_IAM' | 'API_KEY';

/** What is about to be sent: IAM signs all of it; the others only add a header. */
export interface AuthRequest {
  url: string;
  body: string;
  /** Headers that will be sent with the request (content-type, ...). */
  headers: Readonly<Record<string, string>>;
}

export interface AuthProvider {
  readonly mode: AuthMode;
  /** The headers to add to `request` (for IAM: every signed header). */
  authorize(request: AuthRequest): Promise<Record<string, string>>;
  /**
   * Called once when the API refused the credentials: the next `authorize` should use fresher ones. Resolves
   * false when there are none fresher to try (an API key), so the refusal is final.
   */
  refresh(): Promise<boolean>;
}

/**
 * Returns a user pool JWT (the ID token, or the access token). `forceRefresh` is true after the API refused the
 * last one. With Amplify Auth:
 *   userPoolAuth(async ({ forceRefresh }) => (await fetchAuthSession({ forceRefresh })).tokens?.idToken?.toString())
 */
export type TokenSource = (options: { forceRefresh: boolean }) => Promise<string | null | undefined> | string | null | undefined;

/** Cognito user pool tokens: `Authorization: <JWT>`. */
export function userPoolAuth(getToken: TokenSource): AuthProvider {
  let forceRefresh = false;
  return {
    mode: 'AMAZON_COGNITO_USER_POOLS',
    async authorize() {
      const refreshing = forceRefresh;
      forceRefresh = false;
      const token = await getToken({ forceRefresh: refreshing });
      if (!token) throw new ImageLabelsError('Auth', 'NotSignedIn', 'No user pool token: sign in first');
      return { Authorization: token };
    },
    async refresh() {
      forceRefresh = true;
      return true;
    },
  };
}

/** An API key, for APIs that have one: `x-api-key`. */
export function apiKeyAuth(apiKey: string): AuthProvider {
  return {
    mode: 'API_KEY',
    async authorize() {
      return { 'x-api-key': apiKey };
    },
    async refresh() {
      return false;
    },
  };
}
