// An unmodified aws-amplify v6 client, run in its own process by amplify-client.test.ts so that it trusts the
// local endpoint's self-signed certificate the documented way (NODE_EXTRA_CA_CERTS, read at process start).
// It queries over HTTPS, subscribes to labelsReady over WSS, and reports each step as one JSON line on stdout.
//
// Node 20 has no global WebSocket (Node 22 has); Amplify's realtime provider calls `new WebSocket(url, protocols)`,
// so the `ws` package stands in for it here, as it would in any Node 20 application using Amplify.
import WebSocket from 'ws';
import { Amplify } from 'aws-amplify';
import { CONNECTION_STATE_CHANGE, ConnectionState, generateClient, type GraphQLQuery, type GraphQLSubscription } from 'aws-amplify/api';
import { Hub } from 'aws-amplify/utils';
import type { Blob } from '../../../../generated/graphql.ts';

Object.assign(globalThis, { WebSocket });

function report(event: string, detail: unknown = null): void {
  process.stdout.write(`${JSON.stringify({ event, detail })}\n`);
}

const endpoint = process.env.APPSYNC_GRAPHQL_URL ?? '';
const apiKey = process.env.APPSYNC_API_KEY ?? '';
const blobId = process.env.BLOB_ID ?? '';

Amplify.configure({
  API: { GraphQL: { endpoint, region: 'us-east-1', defaultAuthMode: 'apiKey', apiKey } },
});
const client = generateClient();

Hub.listen('api', ({ payload }) => {
  if (payload.event !== CONNECTION_STATE_CHANGE) return;
  const { connectionState } = payload.data as { connectionState: ConnectionState };
  report('connection', connectionState);
  if (connectionState === ConnectionState.Connected) report('ready');
});

try {
  const result = await client.graphql<GraphQLQuery<{ blobs: { nextToken: string | null } }>>({
    query: 'query Blobs { blobs { nextToken } }',
  });
  report('query', result.data);
} catch (error) {
  report('query-error', error);
}

client
  .graphql<GraphQLSubscription<{ labelsReady: Pick<Blob, 'id' | 'status'> & { labels: Array<{ name: string }> | null } }>>({
    query: 'subscription LabelsReady($id: ID!) { labelsReady(id: $id) { id status labels { name } } }',
    variables: { id: blobId },
  })
  .subscribe({
    next: (message) => report('data', message.data),
    error: (error: unknown) => report('subscription-error', error),
  });
