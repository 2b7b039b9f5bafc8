import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveFiles, serveStatic } from '../../../local/appsync/static-files.ts';

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
    await mkdir(join(parent, 'lib', 'dist'), { recursive: true });
    await writeFile(join(parent, 'lib', 'dist', 'index.js'), 'export const lib = 1;\n');
    await writeFile(join(parent, 'vendor.min.js'), 'window.Vendor = {};\n');
    const named = { '/vendor/vendor.min.js': join(parent, 'vendor.min.js'), '/vendor/notes.txt': join(root, 'notes.txt') };
    // Requests the static handlers decline reach this fallback, as they would reach the GraphQL handler.
    server = createServer((req, res) => {
      if (!serveFiles(named, req, res) && !serveStatic(join(parent, 'lib', 'dist'), req, res, '/lib/dist/') && !serveStatic(root, req, res)) {
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

  it('lets the page show images from its storage and GraphiQL load its inlined fonts, and nothing run from elsewhere', async () => {
    const policy = (await fetch(`${base}/`)).headers.get('content-security-policy') ?? '';

    expect(policy).toContain("img-src 'self' blob: data: http: https:");
    expect(policy).toContain("font-src 'self' data:");
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("connect-src 'self' http: https: ws: wss:");
  });

  it.each([
    ['a file under a mount, by its path below the prefix', '/lib/dist/index.js', 'export const lib = 1;\n'],
    ['a file named by its URL path', '/vendor/vendor.min.js', 'window.Vendor = {};\n'],
  ])('serves %s', async (_case, path, body) => {
    const response = await fetch(`${base}${path}`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
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
    ['a path out of a mount', 'GET', '/lib/dist/..%2f..%2fsecret.json'],
    ['a named file of a type it does not serve', 'GET', '/vendor/notes.txt'],
    ['a POST of a named file', 'POST', '/vendor/vendor.min.js'],
  ])('leaves %s to the next handler', async (_case, method, path) => {
    const response = await fetch(`${base}${path}`, { method });

    expect(response.status).toBe(404);
    expect(await response.text()).toBe('fallback');
  });
});
