// One user of an unmodified aws-amplify v6 client, in its own process (it trusts the local endpoint's certificate
// the documented way, NODE_EXTRA_CA_CERTS, read at process start). Configured as the README says: amplify_outputs.json
// plus the one-line override of the user pool endpoint. It signs up, signs in with Amplify's default flow (SRP), then
// runs the commands it reads on stdin (one JSON object per line) and reports each outcome as one JSON line on stdout.
//
// Node 20 has no global WebSocket; Amplify's realtime provider calls `new WebSocket(url, protocols)`, so the `ws`
// package stands in for it, as in any Node 20 application using Amplify.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import WebSocket from 'ws';
import type { AuthUserPoolConfig } from '@aws-amplify/core';
import { Amplify } from 'aws-amplify';
import { CONNECTION_STATE_CHANGE, generateClient, type GraphQLQuery, type GraphQLSubscription } from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';
import { fetchAuthSession, getCurrentUser, signIn, signOut, signUp } from 'aws-amplify/auth';

Object.assign(globalThis, { WebSocket });


export type Command =
  | { op: 'graphql'; tag: string; query: string; variables?: Record<string, unknown> }
  | { op: 'subscribe'; tag: string; query: string; variables?: Record<string, unknown> }
  | { op: 'signOut'; tag: string };

function report(event: string, detail: unknown = null, tag?: string): void {
  process.stdout.write(`${JSON.stringify({ event, tag, detail })}\n`);
}

function plain(error: unknown): unknown {
  if (error && typeof error === 'object') {
    const { name, message, errors } = error as { name?: string; message?: string; errors?: unknown };
    return { name, message, errors };
  }
  return String(error);
}

const outputs = JSON.parse(readFileSync(process.env.AMPLIFY_OUTPUTS ?? 'amplify_outputs.json', 'utf8')) as {
  custom?: { userPoolEndpoint?: string };
};
Amplify.configure(outputs);
const config = Amplify.getConfig();
// The one-line override for a local user pool (amplify_outputs.json has no field for it).
const auth: AuthUserPoolConfig = { Cognito: { ...(config.Auth!.Cognito as AuthUserPoolConfig['Cognito']), userPoolEndpoint: outputs.custom?.userPoolEndpoint } };
Amplify.configure({ ...config, Auth: auth });

const email = process.env.USER_EMAIL ?? '';
const password = process.env.USER_PASSWORD ?? '';
try {
  const signedUp = await signUp({ username: email, password, options: { userAttributes: { email } } });
  report('signed-up', { isSignUpComplete: signedUp.isSignUpComplete });
  const signedIn = await signIn({ username: email, password });
  const session = await fetchAuthSession();
  const current = await getCurrentUser();
  report('signed-in', { isSignedIn: signedIn.isSignedIn, sub: session.tokens?.idToken?.payload.sub, userId: current.userId });
} catch (error) {
  report('sign-in-error', plain(error));
}

Hub.listen('api', ({ payload }) => {
  if (payload.event === CONNECTION_STATE_CHANGE) report('connection', (payload.data as { connectionState: string }).connectionState);
});

const client = generateClient();
createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as Command;
  if (command.op === 'graphql') {
    client
      .graphql<GraphQLQuery<Record<string, unknown>>>({ query: command.query, variables: command.variables })
      .then(
        (result) => report('result', result, command.tag),
        (error: { data?: unknown; errors?: unknown }) => report('result', { data: error.data ?? null, errors: error.errors ?? plain(error) }, command.tag),
      );
  } else if (command.op === 'subscribe') {
    client.graphql<GraphQLSubscription<Record<string, unknown>>>({ query: command.query, variables: command.variables }).subscribe({
      next: (message) => report('data', message.data, command.tag),
      error: (error: unknown) => report('subscription-error', plain(error), command.tag),
    });
    report('subscribing', null, command.tag);
  } else if (command.op === 'signOut') {
    signOut().then(() => report('signed-out', null, command.tag), (error: unknown) => report('sign-out-error', plain(error), command.tag));
  }
});
report('ready');
