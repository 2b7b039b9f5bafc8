// Prints a user pool ID token for curl and scripts, from the user pool amplify_outputs.json names (the local
// cloud's, written by `npm start`, or a deployed stack's, written by `npm run amplify-outputs`):
//   export TOKEN=$(npm run -s token -- --email me@example.com --password 'Secret-123' [--signup])
//   curl -H "authorization: $TOKEN" ...
// Signs in with USER_PASSWORD_AUTH (the app client allows it); --signup creates the user first (the local user pool
// confirms sign-ups at once; a deployed one emails a code, which `--confirm <code>` then enters).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { AMPLIFY_OUTPUTS_FILE, type AmplifyOutputs } from '../infra/amplify-outputs.ts';

// stdout carries the token alone (for $(...)); the SDK's notice about Node versions would only be noise on stderr.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { CognitoIdentityProviderClient, ConfirmSignUpCommand, InitiateAuthCommand, SignUpCommand } = await import(
  '@aws-sdk/client-cognito-identity-provider'
);

const USAGE = `usage: npm run -s token -- --email <email> --password <password> [--signup] [--confirm <code>] [--access] [--config amplify_outputs.json]

Prints an ID token of the user pool in amplify_outputs.json (--access: the access token instead).
  --signup           create the user first
  --confirm <code>   confirm a sign-up with the code a deployed user pool emailed
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      signup: { type: 'boolean' },
      confirm: { type: 'string' },
      access: { type: 'boolean' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || !values.email || !values.password) {
    process.stderr.write(USAGE);
    process.exit(values.help ? 0 : 2);
  }
  const configPath = values.config ?? AMPLIFY_OUTPUTS_FILE;
  const outputs = JSON.parse(await readFile(configPath, 'utf8').catch(() => {
    throw new Error(`cannot read ${configPath}: start the local cloud (npm start) or run npm run amplify-outputs first`);
  })) as AmplifyOutputs;
  const { aws_region: region, user_pool_client_id: clientId } = outputs.auth;
  const client = new CognitoIdentityProviderClient({ region, endpoint: outputs.custom?.userPoolEndpoint });
  try {
    if (values.signup) {
      const { UserConfirmed } = await client.send(new SignUpCommand({
        ClientId: clientId,
        Username: values.email,
        Password: values.password,
        UserAttributes: [{ Name: 'email', Value: values.email }],
      }));
      if (!UserConfirmed && !values.confirm) {
        process.stderr.write(`Signed up. The user pool emailed a code to ${values.email}: run again with --confirm <code> (without --signup).\n`);
        process.exit(3);
      }
    }
    if (values.confirm) {
      await client.send(new ConfirmSignUpCommand({ ClientId: clientId, Username: values.email, ConfirmationCode: values.confirm }));
    }
    const { AuthenticationResult } = await client.send(new InitiateAuthCommand({
      ClientId: clientId,
      AuthFlow: 'USER_PASSWORD_AUTH',
      AuthParameters: { USERNAME: values.email, PASSWORD: values.password },
    }));
    const token = values.access ? AuthenticationResult?.AccessToken : AuthenticationResult?.IdToken;
    if (!token) {
      throw new Error('the user pool answered without tokens (a challenge such as a new password is pending)');
    }
    process.stdout.write(`${token}\n`);
  } finally {
    client.destroy();
  }
}

main().catch((error: unknown) => {
  const name = error instanceof Error && error.name !== 'Error' ? `${error.name}: ` : '';
  process.stderr.write(`${name}${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
