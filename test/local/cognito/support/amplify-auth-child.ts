// An unmodified aws-amplify v6 client signing up and in against the local user pool, run in its own process by
// amplify-client.test.ts (Amplify keeps its configuration and tokens per process). Each step is reported as one
// JSON line on stdout; the last is `done`, with `ok: false` and the failed step when something threw.
import { Amplify } from 'aws-amplify';
import {
  confirmSignUp, fetchAuthSession, fetchUserAttributes, getCurrentUser, signIn, signOut, signUp,
} from 'aws-amplify/auth';

function report(event: string, detail: unknown = null): void {
  process.stdout.write(`${JSON.stringify({ event, detail })}\n`);
}

const errorOf = (error: unknown) => ({ name: (error as Error).name, message: (error as Error).message });

const email = process.env.COGNITO_EMAIL ?? '';
const password = process.env.COGNITO_PASSWORD ?? '';

Amplify.configure({
  Auth: {
    Cognito: {
      userPoolId: process.env.COGNITO_USER_POOL_ID ?? '',
      userPoolClientId: process.env.COGNITO_CLIENT_ID ?? '',
      userPoolEndpoint: process.env.COGNITO_ENDPOINT ?? '',
    },
  },
});

async function session() {
  const { tokens } = await fetchAuthSession();
  if (!tokens) return null;
  return {
    accessToken: tokens.accessToken.toString(),
    sub: tokens.accessToken.payload.sub,
    jti: tokens.accessToken.payload.jti,
    originJti: tokens.accessToken.payload.origin_jti,
    idUsername: tokens.idToken?.payload['cognito:username'],
    email: tokens.idToken?.payload.email,
  };
}

let step = 'signUp';
try {
  report('signUp', await signUp({ username: email, password, options: { userAttributes: { email } } }));

  step = 'confirmSignUp';
  try {
    await confirmSignUp({ username: email, confirmationCode: '123456' });
    report('confirmSignUp', 'confirmed');
  } catch (error) {
    report('confirmSignUp', errorOf(error));
  }

  step = 'signIn';
  report('signIn', await signIn({ username: email, password }));
  step = 'session';
  report('session', await session());
  step = 'currentUser';
  report('currentUser', await getCurrentUser());
  step = 'attributes';
  report('attributes', await fetchUserAttributes());
  step = 'refresh';
  const { tokens } = await fetchAuthSession({ forceRefresh: true });
  report('refresh', { jti: tokens?.accessToken.payload.jti, originJti: tokens?.accessToken.payload.origin_jti });

  step = 'signOut';
  await signOut();
  report('signOut', { session: await session() });

  step = 'passwordSignIn';
  report('passwordSignIn', await signIn({ username: email, password, options: { authFlowType: 'USER_PASSWORD_AUTH' } }));
  step = 'passwordSession';
  report('passwordSession', await session());
  step = 'globalSignOut';
  await signOut({ global: true });
  report('globalSignOut', { session: await session() });

  step = 'wrongPassword';
  try {
    await signIn({ username: email, password: `${password}x` });
    report('wrongPassword', 'signed in');
  } catch (error) {
    report('wrongPassword', errorOf(error));
  }
  report('done', { ok: true });
} catch (error) {
  report('done', { ok: false, step, error: errorOf(error) });
}
