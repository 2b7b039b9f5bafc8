// Signing in with the user pool for the CLI, through Amplify Auth: sign-up, SRP sign-in (Amplify's default flow),
// tokens kept in the token file and refreshed by fetchAuthSession when they expire.
import { Amplify } from 'aws-amplify';
import { confirmSignUp, fetchAuthSession, signIn, signOut, signUp } from 'aws-amplify/auth';
import { cognitoUserPoolsTokenProvider } from 'aws-amplify/auth/cognito';
import { ConsoleLogger } from 'aws-amplify/utils';
import type { UserPoolSettings } from '@image-labels/client';
import { fileStorage, tokenFile } from './token-store.ts';

export interface SignedInUser {
  email: string;
  sub: string;
  tokenFile: string;
}

export class SignInError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'SignInError';
  }
}

/** Amplify's exceptions carry Cognito's names; anything else keeps its own. */
function signInError(error: unknown): SignInError {
  if (error instanceof SignInError) return error;
  const name = error instanceof Error ? error.name : 'Error';
  return new SignInError(name, error instanceof Error ? error.message : String(error));
}

export interface UserPoolSession {
  readonly tokenFile: string;
  /** Signs up (when asked), then in with SRP; `askCode` is called when the pool emails a confirmation code. */
  login(credentials: { email: string; password: string; signUp: boolean; askCode(destination: string | null): Promise<string> }): Promise<SignedInUser>;
  /** The ID token of the signed-in user, refreshed when expired (or when `forceRefresh`); null when nobody is. */
  idToken(forceRefresh?: boolean): Promise<string | null>;
  logout(): Promise<void>;
}

export function userPoolSession(pool: UserPoolSettings, configDir: string): UserPoolSession {
  // The pool's custom endpoint draws a warning at every start: it is the local cloud's, and expected.
  ConsoleLogger.LOG_LEVEL = 'ERROR';
  const file = tokenFile(configDir, pool);
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: pool.userPoolId,
        userPoolClientId: pool.userPoolClientId,
        ...(pool.endpoint.startsWith(`https://cognito-idp.${pool.region}.amazonaws.com`) ? {} : { userPoolEndpoint: pool.endpoint }),
      },
    },
  });
  cognitoUserPoolsTokenProvider.setKeyValueStorage(fileStorage(file));

  const idToken = async (forceRefresh = false): Promise<string | null> => {
    try {
      const { tokens } = await fetchAuthSession({ forceRefresh });
      return tokens?.idToken?.toString() ?? null;
    } catch (error) {
      throw signInError(error);
    }
  };

  return {
    tokenFile: file,
    async login({ email, password, signUp: create, askCode }) {
      try {
        if (create) {
          const created = await signUp({ username: email, password, options: { userAttributes: { email } } });
          if (created.nextStep.signUpStep === 'CONFIRM_SIGN_UP') {
            const code = await askCode(created.nextStep.codeDeliveryDetails.destination ?? null);
            await confirmSignUp({ username: email, confirmationCode: code });
          }
        }
        // A user signed in before is signed out here first: Amplify refuses a second sign-in.
        await signOut().catch(() => undefined);
        const result = await signIn({ username: email, password });
        if (!result.isSignedIn) {
          throw new SignInError('ChallengeNotSupported', `The user pool asks for ${result.nextStep.signInStep}, which the CLI does not handle`);
        }
        const { tokens } = await fetchAuthSession();
        return { email, sub: String(tokens?.idToken?.payload.sub ?? ''), tokenFile: file };
      } catch (error) {
        throw signInError(error);
      }
    },
    idToken,
    async logout() {
      await signOut().catch(() => undefined);
    },
  };
}
