// A real HTTP server on 127.0.0.1 standing in for a callback receiver: records what arrives, answers as scripted.
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How to answer one request: a status with headers, or no answer at all (to make the sender time out). */
export type Answer = { status: number; headers?: Record<string, string> } | { hang: true };

export interface CallbackReceiver {
  url: string;
  port: number;
  received: ReceivedRequest[];
  /** Answers in order; once used up, the last one repeats. */
  script(...answers: Answer[]): void;
  close(): Promise<void>;
}

export async function startCallbackReceiver(): Promise<CallbackReceiver> {
  const received: ReceivedRequest[] = [];
  let answers: Answer[] = [{ status: 204 }];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const answer = answers.length > 1 ? answers.shift()! : answers[0];
      if ('hang' in answer) {
        hanging.push(response);
        return;
      }
      response.writeHead(answer.status, answer.headers ?? {});
      response.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/labels`,
    port,
    received,
    script(...next) {
      answers = next;
    },
    async close() {
      for (const response of hanging) {
        response.destroy();
      }
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
