// A stand-in for the AppSync GraphQL endpoint: records the requests, answers publishBlobResult with its input.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface AppSyncStub {
  url: string;
  requests: Array<{ headers: IncomingHttpHeaders; body: { query: string; variables: { input: Record<string, unknown> } } }>;
  close(): Promise<void>;
}

export async function startAppSyncStub(): Promise<AppSyncStub> {
  const requests: AppSyncStub['requests'] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as AppSyncStub['requests'][number]['body'];
      requests.push({ headers: request.headers, body });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: { publishBlobResult: body.variables.input } }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
