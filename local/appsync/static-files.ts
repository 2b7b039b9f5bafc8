// Static files beside the local GraphQL endpoint: the demo page (web/) at `/`, on the same origin as
// /graphql so that the page needs no CORS to call the API, the client package's build at /client/dist/, and
// GraphiQL's files from npm packages (serveFiles). GET and HEAD of files under a root only; everything else
// (/graphql, unknown paths, other methods) is left to the next handler.
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
};

/**
 * The page loads only its own files; it talks to the API, its realtime socket and the presigned upload URL
 * (another port), and shows the chosen image from a `blob:` URL and an older blob's image from its presigned
 * download URL (the storage's origin).
 */
const PAGE_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data: http: https:",
  // GraphiQL's stylesheet carries its fonts as data: URLs.
  "font-src 'self' data:",
  "connect-src 'self' http: https: ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/** The file under `root` that `relative` (a URL path below the mount, `/` → index.html) names, or null. */
function fileFor(root: string, relative: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const base = resolve(root);
  const file = resolve(base, `.${decoded.endsWith('/') ? `${decoded}index.html` : decoded}`);
  if (!file.startsWith(base + sep)) return null;
  const stats = statSync(file, { throwIfNoEntry: false });
  return stats?.isFile() && CONTENT_TYPES[extname(file)] ? file : null;
}

function isReadRequest(req: IncomingMessage): boolean {
  return req.method === 'GET' || req.method === 'HEAD';
}

function send(file: string, req: IncomingMessage, res: ServerResponse): true {
  const type = CONTENT_TYPES[extname(file)];
  res.statusCode = 200;
  res.setHeader('content-type', type);
  res.setHeader('content-length', statSync(file).size);
  res.setHeader('cache-control', 'no-cache');
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  if (type.startsWith('text/html')) res.setHeader('content-security-policy', PAGE_SECURITY_POLICY);
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
  return true;
}

/**
 * Answers GET/HEAD of a file under `root`, mounted at `prefix` (default `/`); returns false, without touching
 * `res`, when the request is not for such a file (the caller then handles it).
 */
export function serveStatic(root: string, req: IncomingMessage, res: ServerResponse, prefix = '/'): boolean {
  if (!isReadRequest(req)) return false;
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  if (pathname === '/graphql' || pathname.startsWith('/graphql/')) return false;
  if (!pathname.startsWith(prefix)) return false;
  const file = fileFor(root, `/${pathname.slice(prefix.length)}`);
  return file ? send(file, req, res) : false;
}

/** Answers GET/HEAD of the files named by URL path (files from npm packages, each named exactly). */
export function serveFiles(files: Readonly<Record<string, string>>, req: IncomingMessage, res: ServerResponse): boolean {
  if (!isReadRequest(req)) return false;
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  const file = Object.hasOwn(files, pathname) ? files[pathname] : undefined;
  return file !== undefined && CONTENT_TYPES[extname(file)] !== undefined ? send(file, req, res) : false;
}
