// The floor to compare against: graphql-js over node:http with the item in memory, as a minimal GraphQL server
// does it (graphql-http's steps): read the body, parse, validate, execute, answer JSON. Same schema (with
// AppSync's scalars and directives declared), same query, same answer as the local cloud; no auth, no data
// source, no logging. Runs in its own process (bench/support/child-server.ts).
// Usage: spawnServer('bench/servers/plain-graphql.ts', { args: ['--answer', '<file with the blob as the API answers it>'] })
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSchema, execute, parse, validate, type DocumentNode } from 'graphql';
import { closeServer, listen } from '../../local/net.ts';
import { failToParent, ROOT, serveParent } from '../support/child-server.ts';

export interface PlainInfo {
  graphqlUrl: string;
}

const { values } = parseArgs({ options: { answer: { type: 'string' } } });

try {
  if (!values.answer) throw new Error('--answer <file> is required');
  const blob = JSON.parse(await readFile(values.answer, 'utf8')) as { id: string };
  const sdl = [
    await readFile(join(ROOT, 'graphql', 'aws-appsync.graphql'), 'utf8'),
    await readFile(join(ROOT, 'schema.graphql'), 'utf8'),
  ].join('\n');
  const schema = buildSchema(sdl);
  const rootValue = { blob: ({ id }: { id: string }) => (id === blob.id ? blob : null) };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string; variables?: Record<string, unknown>; operationName?: string };
        let document: DocumentNode;
        try {
          document = parse(body.query);
        } catch (error) {
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ message: String(error) }] }));
          return;
        }
        const errors = validate(schema, document);
        if (errors.length > 0) {
          res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ errors }));
          return;
        }
        const result = await execute({ schema, document, rootValue, variableValues: body.variables, operationName: body.operationName });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      })();
    });
  });
  const port = await listen(server, 0, '127.0.0.1');
  const info: PlainInfo = { graphqlUrl: `http://127.0.0.1:${port}/graphql` };
  serveParent(info, () => closeServer(server));
} catch (error) {
  failToParent(error);
}
