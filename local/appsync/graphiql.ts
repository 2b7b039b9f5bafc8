// GraphiQL in the local cloud, at /graphiql/: the page itself is web/graphiql/ (served with the demo page, and signed
// in the same way); React, ReactDOM and GraphiQL's own bundle are served from their npm packages at the paths
// below. Nothing comes from a CDN: the page works offline.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export const GRAPHIQL_PATH = '/graphiql/';

/** URL path → file, for serveFiles. */
export function graphiqlVendorFiles(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
  return {
    '/graphiql/vendor/react.production.min.js': join(packageDir('react'), 'umd', 'react.production.min.js'),
    '/graphiql/vendor/react-dom.production.min.js': join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
    '/graphiql/vendor/graphiql.min.js': join(packageDir('graphiql'), 'graphiql.min.js'),
    '/graphiql/vendor/graphiql.min.css': join(packageDir('graphiql'), 'graphiql.min.css'),
  };
}

/** `/graphiql` → `/graphiql/` (the page's relative URLs need the slash). */
export function redirectToGraphiql(req: IncomingMessage, res: ServerResponse): boolean {
  const { pathname, search } = new URL(req.url ?? '/', 'http://localhost');
  if (pathname !== '/graphiql' || (req.method !== 'GET' && req.method !== 'HEAD')) return false;
  res.writeHead(308, { location: `${GRAPHIQL_PATH}${search}`, 'content-length': 0 });
  res.end();
  return true;
}
