// @ts-check
// The Cognito user pools API as the page needs it: AWS JSON 1.1 over fetch (POST to the pool endpoint,
// `X-Amz-Target: AWSCognitoIdentityProviderService.<Action>`), no SDK. Sign-in is USER_PASSWORD_AUTH, so the app
// client must allow that flow. Errors come back as ApiError('Cognito', <exception name>, <Cognito's message>).
import { ApiError, errorMessage, isRecord } from './errors.js';

const TARGET_PREFIX = 'AWSCognitoIdentityProviderService.';
const CONTENT_TYPE = 'application/x-amz-json-1.1';

/**
 * @typedef {{ idToken: string, accessToken: string, refreshToken: string | null, expiresInSeconds: number }} Tokens
 * @typedef {{ confirmed: boolean, codeSentTo: string | null }} SignUpResult
 * @typedef {{
 *   signUp(email: string, password: string): Promise<SignUpResult>,
 *   confirmSignUp(email: string, code: string): Promise<void>,
 *   resendConfirmationCode(email: string): Promise<string | null>,
 *   signIn(email: string, password: string): Promise<Tokens>,
 *   refresh(refreshToken: string): Promise<Tokens>,
 *   revoke(refreshToken: string): Promise<void>,
 * }} UserPoolClient
 */

/**
 * @param {{ endpoint: string, clientId: string }} pool
 * @param {typeof fetch} [fetchImpl]
 * @returns {UserPoolClient}
 */
export function createUserPoolClient(pool, fetchImpl = fetch) {
  const { clientId } = pool;

  /**
   * @param {string} action
   * @param {Record<string, unknown>} body
   * @returns {Promise<Record<string, unknown>>}
   */
  async function call(action, body) {
    let response;
    try {
      response = await fetchImpl(pool.endpoint, {
        method: 'POST',
        headers: { 'content-type': CONTENT_TYPE, 'x-amz-target': `${TARGET_PREFIX}${action}` },
        body: JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (cause) {
      throw new ApiError('Cognito', 'NetworkError', `Cannot reach the user pool at ${pool.endpoint}: ${errorMessage(cause)}`);
    }
    /** @type {unknown} */
    const json = await response.json().catch(() => null);
    const result = isRecord(json) ? json : {};
    if (!response.ok) throw cognitoError(response, result);
    return result;
  }

  return {
    async signUp(email, password) {
      const result = await call('SignUp', {
        ClientId: clientId,
        Username: email,
        Password: password,
        UserAttributes: [{ Name: 'email', Value: email }],
      });
      return { confirmed: result.UserConfirmed === true, codeSentTo: destinationOf(result.CodeDeliveryDetails) };
    },

    async confirmSignUp(email, code) {
      await call('ConfirmSignUp', { ClientId: clientId, Username: email, ConfirmationCode: code });
    },

    async resendConfirmationCode(email) {
      const result = await call('ResendConfirmationCode', { ClientId: clientId, Username: email });
      return destinationOf(result.CodeDeliveryDetails);
    },

    async signIn(email, password) {
      const result = await call('InitiateAuth', {
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: email, PASSWORD: password },
      });
      return tokensOf(result, null);
    },

    async refresh(refreshToken) {
      const result = await call('InitiateAuth', {
        ClientId: clientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      });
      // Without refresh-token rotation the pool sends no new one: the old one stays valid.
      return tokensOf(result, refreshToken);
    },

    async revoke(refreshToken) {
      await call('RevokeToken', { ClientId: clientId, Token: refreshToken });
    },
  };
}

/**
 * Cognito names the exception in `__type` (sometimes as `namespace#Name`) and in `x-amzn-ErrorType`
 * (sometimes as `Name:http://...`); the message is `message` or `Message`.
 * @param {Response} response
 * @param {Record<string, unknown>} body
 */
function cognitoError(response, body) {
  const raw = typeof body.__type === 'string' ? body.__type : response.headers.get('x-amzn-errortype') ?? '';
  const type = raw.split('#').pop()?.split(':')[0] || `HTTP ${response.status}`;
  const text = typeof body.message === 'string' ? body.message : typeof body.Message === 'string' ? body.Message : '';
  return new ApiError('Cognito', type, text || `The user pool answered HTTP ${response.status}`);
}

/**
 * @param {Record<string, unknown>} result
 * @param {string | null} previousRefreshToken
 * @returns {Tokens}
 */
function tokensOf(result, previousRefreshToken) {
  if (typeof result.ChallengeName === 'string') {
    throw new ApiError('Cognito', 'ChallengeNotSupported',
      `The user pool asks for ${result.ChallengeName}, which this page does not handle`, {
        details: ['Finish signing in with another client (for example the AWS CLI), then sign in here again.'],
      });
  }
  const auth = isRecord(result.AuthenticationResult) ? result.AuthenticationResult : {};
  const { IdToken, AccessToken, RefreshToken, ExpiresIn } = auth;
  if (typeof IdToken !== 'string' || typeof AccessToken !== 'string') {
    throw new ApiError('Cognito', 'NoTokens', 'The user pool answered without tokens');
  }
  return {
    idToken: IdToken,
    accessToken: AccessToken,
    refreshToken: typeof RefreshToken === 'string' ? RefreshToken : previousRefreshToken,
    expiresInSeconds: typeof ExpiresIn === 'number' ? ExpiresIn : 3600,
  };
}

/** @param {unknown} details */
function destinationOf(details) {
  return isRecord(details) && typeof details.Destination === 'string' ? details.Destination : null;
}
