import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../../../local/appsync/static-files.ts';

describe('serveStatic', () => {
  let parent: string;
  let root: string;
  let server: Server;
  let base: string;

  beforeAll(async () => {
    parent = await mkdtemp(join(tmpdir(), 'static-files-'));
    root = join(parent, 'web');
    await mkdir(join(root, 'nested'), { recursive: true });
    await writeFile(join(root, 'index.html'), '<!doctype html><title>demo</title>');
    await writeFile(join(root, 'app.js'), 'export {};\n');
    await writeFile(join(root, 'nested', 'index.html'), '<p>nested</p>');
    await writeFile(join(root, 'notes.txt'), 'not a web asset');
    await writeFile(join(parent, 'secret.json'), '{"key":"outside the root"}');
    // Requests the static handler declines reach this fallback, as they would reach the GraphQL handler.
    server = createServer((req, res) => {
      if (!serveStatic(root, req, res)) {
        res.statusCode = 404;
        res.end('fallback');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await rm(parent, { recursive: true, force: true });
  });

  it('serves index.html at / with a content security policy that allows only the page\'s own files', async () => {
    const response = await fetch(`${base}/?apiKey=da2-x`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>demo</title>');
  });

  it.each([
    ['/app.js', 'text/javascript; charset=utf-8', 'export {};\n'],
    ['/nested/', 'text/html; charset=utf-8', '<p>nested</p>'],
  ])('serves %s as %s', async (path, contentType, body) => {
    const response = await fetch(`${base}${path}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(contentType);
    expect(await response.text()).toBe(body);
  });

  it('answers HEAD with the headers and no body', async () => {
    const response = await fetch(`${base}/app.js`, { method: 'HEAD' });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('11');
    expect(await response.text()).toBe('');
  });

  it.each([
    ['the GraphQL path', 'GET', '/graphql'],
    ['the realtime path', 'GET', '/graphql/realtime'],
    ['a POST', 'POST', '/index.html'],
    ['a missing file', 'GET', '/missing.js'],
    ['a file type it does not serve', 'GET', '/notes.txt'],
    ['an encoded path out of the root', 'GET', '/..%2fsecret.json'],
    ['a malformed escape', 'GET', '/%E0%A4%A'],
  ])('leaves %s to the next handler', async (_case, method, path) => {
    const response = await fetch(`${base}${path}`, { method });

    expect(response.status).toBe(404);
    expect(await response.text()).toBe('fallback');
  });
});
