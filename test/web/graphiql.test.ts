// GraphiQL at /graphiql in the local cloud, in Chromium: everything it loads comes from the cloud itself (npm
// packages, no CDN); it is signed in with the demo page's session (or its own sign-in form), sends the ID token with
// every request, and streams a subscription's events over the realtime WebSocket.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../local/cloud.ts';
import { FREE_PORTS } from '../../local/config.ts';
import { signUp } from '../integration/support/users.ts';
import { BROWSER_SETUP_TIMEOUT_MS, DESKTOP, launchChromium, SCREENSHOT_DIR } from './support/browser.ts';

const PASSWORD = 'Correct-Horse-9';

let dataDir: string;
let cloud: LocalCloud;
let browser: Browser;
let page: Page;
let requested: string[];
let pageErrors: string[];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'graphiql-'));
  cloud = await startLocalCloud({ dataDir, ports: FREE_PORTS, quiet: true });
  browser = await launchChromium();
}, BROWSER_SETUP_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await cloud?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

afterEach(async () => {
  await page?.context().close();
});

async function openPage(url: string): Promise<void> {
  const context = await browser.newContext({ viewport: DESKTOP });
  page = await context.newPage();
  requested = [];
  pageErrors = [];
  page.on('request', (request) => requested.push(request.url()));
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(url);
}

const resultText = () => page.locator('.graphiql-response').innerText();

function setQuery(query: string): Promise<void> {
  return page.locator('.graphiql-query-editor .CodeMirror').evaluate((editor, text) => {
    (editor as unknown as { CodeMirror: { setValue(value: string): void } }).CodeMirror.setValue(text);
  }, query);
}

async function graphql(idToken: string, query: string): Promise<{ data?: Record<string, { blob?: { id: string } }> }> {
  const response = await fetch(cloud.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: idToken },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: Record<string, { blob?: { id: string } }> };
}

describe('GraphiQL', () => {
  it("answers at /graphiql with files from the cloud only, signs in from its bar and runs a query with the user's token", async () => {
    const user = await signUp(cloud);
    const authorizations: Array<string | undefined> = [];
    await openPage(new URL('/graphiql', cloud.graphqlUrl).href);
    page.on('request', (request) => {
      if (request.url() === cloud.graphqlUrl) authorizations.push(request.headers().authorization);
    });

    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#who').textContent(), { timeout: 10_000 }).toContain(`Signed in as ${user.email}`);
    await page.locator('.graphiql-execute-button').click();

    await expect.poll(resultText, { timeout: 10_000 }).toContain('"blobs"');
    expect(page.url()).toBe(new URL('/graphiql/', cloud.graphqlUrl).href);
    const origins = new Set(requested.map((url) => new URL(url).origin));
    expect([...origins].sort()).toEqual([new URL(cloud.graphqlUrl).origin, new URL(cloud.userPool.endpoint).origin].sort());
    expect(authorizations.length).toBeGreaterThan(0);
    expect(authorizations.every((value) => value !== undefined && value.split('.').length === 3)).toBe(true);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'graphiql.png') });
    expect(pageErrors).toEqual([]);
  });

  it("takes the demo page's session and streams a subscription's event", async () => {
    await openPage(cloud.demoPageUrl);
    const email = `graphiql-${randomUUID().slice(0, 8)}@example.com`;
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign up', exact: true }).click();
    await expect.poll(() => page.locator('#user-email').textContent(), { timeout: 10_000 }).toBe(email);
    const entries = await page.evaluate(() => Object.entries(sessionStorage));
    const idToken = (JSON.parse(entries.find(([key]) => key.startsWith('image-labels.session:'))![1]) as { idToken: string }).idToken;
    const created = await graphql(idToken, 'mutation { createBlob(input: { contentType: "image/png" }) { blob { id } } }');
    const id = created.data!.createBlob.blob!.id;

    let acknowledged = false;
    page.on('websocket', (socket) => socket.on('framereceived', (frame) => {
      if (String(frame.payload).includes('"start_ack"')) acknowledged = true;
    }));
    await page.getByRole('link', { name: 'GraphiQL' }).click();
    await expect.poll(() => page.locator('#who').textContent(), { timeout: 10_000 }).toContain(`Signed in as ${email}`);
    expect(await page.locator('#sign-in').isVisible()).toBe(false);
    await page.locator('.graphiql-query-editor .CodeMirror').waitFor();
    await setQuery(`subscription Ready { labelsReady(id: "${id}") { id status error { code } } }`);
    await page.locator('.graphiql-execute-button').click();
    // Once the realtime socket acknowledged the subscription, the blob is deleted: the event says DELETED.
    await expect.poll(() => acknowledged, { timeout: 30_000 }).toBe(true);
    await graphql(idToken, `mutation { deleteBlob(id: "${id}") { id } }`);

    await expect.poll(resultText, { timeout: 30_000 }).toContain('BlobDeleted');

    expect(await resultText()).toContain('"DELETED"');
    expect(pageErrors).toEqual([]);
  });
});
