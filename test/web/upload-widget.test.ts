// The demo page as an upload widget, in Chromium on a desktop and at a phone's 390 px: several files queued with
// thumbnails, labelled a few at a time through the client package, one cancelled while it uploads, one retried
// after its upload failed; type and size refused before anything is sent; no broken image, even for REJECTED;
// Recent a page at a time, an older blob's image shown again through its short-lived URL; nothing scrolls
// sideways. Screenshots go to test-results/.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '../../local/cloud.ts';
import { FREE_PORTS } from '../../local/config.ts';
import { BROWSER_SETUP_TIMEOUT_MS, DESKTOP, launchChromium, PHONE, SCREENSHOT_DIR } from './support/browser.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/images/', import.meta.url));
const CHELSEA = join(FIXTURES, 'chelsea.png');
const HORSE = join(FIXTURES, 'horse.png');
const COFFEE = join(FIXTURES, 'coffee.png');
const TRUNCATED = join(FIXTURES, 'truncated.jpg');
const PASSWORD = 'Correct-Horse-9';
const RESULT_TIMEOUT_MS = 60_000;

let dataDir: string;
let cloud: LocalCloud;
let browser: Browser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'upload-widget-'));
  cloud = await startLocalCloud({ dataDir, ports: FREE_PORTS, quiet: true });
  browser = await launchChromium();
}, BROWSER_SETUP_TIMEOUT_MS);

afterAll(async () => {
  await browser?.close();
  await cloud?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && page && !page.isClosed()) {
    console.error(`page at failure: ${(await page.locator('#auth-error, #queue, #error, #recent-status, #recent-error').allInnerTexts()).join(' | ')}`);
  }
  await page?.context().close();
});

async function openSignedUp(viewport: { width: number; height: number }): Promise<void> {
  const context = await browser.newContext({ viewport });
  page = await context.newPage();
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('dialog', (dialog) => void dialog.accept());
  await page.goto(cloud.demoPageUrl);
  await page.getByLabel('Email').fill(`widget-${randomUUID().slice(0, 8)}@example.com`);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign up', exact: true }).click();
  await expect.poll(() => page.locator('#upload-section').isVisible(), { timeout: 10_000 }).toBe(true);
}

const item = (name: string) => page.locator(`#queue li[data-file="${name}"]`);
const itemState = (name: string) => item(name).getAttribute('data-state');

/** Images that show a broken picture: rendered, loaded, and without pixels. */
function brokenImages(): Promise<string[]> {
  return page.locator('img').evaluateAll((images) => (images as HTMLImageElement[])
    .filter((image) => image.getClientRects().length > 0 && image.getAttribute('src') && image.complete && image.naturalWidth === 0)
    .map((image) => image.getAttribute('src') ?? ''));
}

function scrollsSideways(): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

async function idToken(): Promise<string> {
  const entries = await page.evaluate(() => Object.entries(sessionStorage));
  return (JSON.parse(entries.find(([key]) => key.startsWith('image-labels.session:'))![1]) as { idToken: string }).idToken;
}

describe('the upload widget', () => {
  it('queues three photos with thumbnails, labels them, cancels one while it uploads and retries one whose upload failed', { timeout: 180_000 }, async () => {
    await openSignedUp(DESKTOP);
    // Which upload is which file: createBlob names the size (contentLength), its answer the blob, the URL the blob.
    const sizes = Object.fromEntries(await Promise.all([HORSE, COFFEE].map(async (file) => [(await stat(file)).size, file] as const)));
    const fileOfBlob = new Map<string, string>();
    page.on('response', async (response) => {
      const sent = response.request().postDataJSON() as { variables?: { input?: { contentLength?: number } } } | null;
      const size = sent?.variables?.input?.contentLength;
      if (response.url() !== cloud.graphqlUrl || size === undefined) return;
      const answer = (await response.json()) as { data?: { createBlob?: { blob: { id: string } } } };
      const id = answer.data?.createBlob?.blob.id;
      if (id && sizes[size]) fileOfBlob.set(id, sizes[size]);
    });
    let heldHorse: Route | null = null;
    let coffeeAttempts = 0;
    await page.route(`${cloud.s3Endpoint}/**`, async (route) => {
      const request = route.request();
      if (request.method() !== 'PUT') return route.continue();
      const file = fileOfBlob.get(new URL(request.url()).pathname.split('/').pop() ?? '');
      if (file === HORSE) {
        heldHorse = route; // never answered: the upload runs until it is cancelled
        return undefined;
      }
      if (file === COFFEE && (coffeeAttempts += 1) === 1) return route.abort('failed');
      return route.continue();
    });

    try {
      await page.locator('#file').setInputFiles([CHELSEA, HORSE, COFFEE]);
      await expect.poll(() => page.locator('#queue li[data-state="ready"]').count(), { timeout: 10_000 }).toBe(3);
      const thumbnails = await page.locator('#queue img.thumb-image').evaluateAll((images) =>
        (images as HTMLImageElement[]).map((image) => ({ loaded: image.complete && image.naturalWidth > 0, src: image.src.slice(0, 5) })));
      expect(thumbnails).toEqual([{ loaded: true, src: 'blob:' }, { loaded: true, src: 'blob:' }, { loaded: true, src: 'blob:' }]);

      await page.getByRole('button', { name: 'Upload and label' }).click();

      await expect.poll(() => heldHorse !== null, { timeout: 20_000 }).toBe(true);
      await expect.poll(() => item('horse.png').locator('.item-status').textContent(), { timeout: 10_000 }).toMatch(/^Uploading/);
      const horseBlob = await item('horse.png').getAttribute('data-blob-id');
      await page.getByRole('button', { name: 'Cancel horse.png' }).click();
      await expect.poll(() => itemState('horse.png'), { timeout: 10_000 }).toBe('cancelled');

      await expect.poll(() => itemState('coffee.png'), { timeout: RESULT_TIMEOUT_MS }).toBe('failed');
      expect(await item('coffee.png').getByTestId('error-type').textContent()).toBe('NetworkError');
      await page.getByRole('button', { name: 'Retry coffee.png' }).click();

      await expect.poll(() => itemState('coffee.png'), { timeout: RESULT_TIMEOUT_MS }).toBe('done');
      await expect.poll(() => itemState('chelsea.png'), { timeout: RESULT_TIMEOUT_MS }).toBe('done');
      expect(await item('chelsea.png').getAttribute('data-outcome')).toBe('ok');
      expect(await item('coffee.png').getAttribute('data-outcome')).toBe('ok');
      expect(coffeeAttempts).toBe(2);
      expect(await item('horse.png').locator('.item-status').textContent()).toBe('Cancelled');
      expect(await page.getByRole('button', { name: 'Retry horse.png' }).isVisible()).toBe(true);

      await page.getByRole('button', { name: 'Show chelsea.png' }).click();
      await expect.poll(() => page.locator('#labels .label-name').allTextContents(), { timeout: 10_000 }).toContain('Cat');
      expect(await page.locator('.box[data-label="Cat"]').count()).toBeGreaterThan(0);
      // The cancelled upload's blob was deleted: Recent does not list it.
      const chelseaBlob = await item('chelsea.png').getAttribute('data-blob-id');
      await expect.poll(() => page.locator(`#recent li[data-blob-id="${chelseaBlob}"]`).count(), { timeout: 10_000 }).toBe(1);
      expect(await page.locator(`#recent li[data-blob-id="${horseBlob}"]`).count()).toBe(0);
      expect(await brokenImages()).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOT_DIR, 'upload-widget-desktop.png'), fullPage: true });
      expect(pageErrors).toEqual([]);
    } finally {
      await (heldHorse as Route | null)?.abort().catch(() => undefined);
    }
  });

  it('checks type and size before uploading, never shows a broken image, pages Recent, and does not scroll sideways at 390 px', { timeout: 180_000 }, async () => {
    await openSignedUp(PHONE);
    const creates: string[] = [];
    page.on('request', (request) => {
      if (request.url() === cloud.graphqlUrl && (request.postData() ?? '').includes('CreateBlob')) creates.push(request.url());
    });
    // Made in the page (a 15 MB buffer through the browser protocol is slow on a busy machine), then chosen as a
    // user would: through the file input.
    const truncated = [...(await readFile(TRUNCATED))];
    await page.locator('#file').evaluate((input, bytes) => {
      const pngSignature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
      const huge = new Uint8Array(15 * 1024 * 1024 + 1);
      huge.set(pngSignature);
      const files = new DataTransfer();
      files.items.add(new File([new Uint8Array(bytes)], 'truncated.jpg', { type: 'image/jpeg' }));
      files.items.add(new File([new TextEncoder().encode('GIF89a\x01\x00\x01\x00\x00\x00\x00;')], 'animation.gif', { type: 'image/gif' }));
      files.items.add(new File([huge], 'huge.png', { type: 'image/png' }));
      (input as HTMLInputElement).files = files.files;
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }, truncated);
    await expect.poll(() => itemState('animation.gif'), { timeout: 10_000 }).toBe('refused');
    await expect.poll(() => itemState('huge.png'), { timeout: 10_000 }).toBe('refused');
    expect(await item('animation.gif').getByTestId('error-type').textContent()).toBe('UnsupportedContentType');
    expect(await item('huge.png').getByTestId('error-type').textContent()).toBe('ImageTooLarge');
    // A refused file gets no thumbnail at all: a placeholder names its type.
    expect(await item('animation.gif').locator('img').count()).toBe(0);
    expect(await item('animation.gif').locator('.thumb-placeholder').textContent()).toBe('GIF');

    await page.getByRole('button', { name: 'Upload and label' }).click();
    await expect.poll(() => itemState('truncated.jpg'), { timeout: RESULT_TIMEOUT_MS }).toBe('done');
    expect(creates).toHaveLength(1);
    expect(await item('truncated.jpg').locator('.item-status').textContent()).toBe('Rejected: InvalidImageFormatException');
    expect(await page.getByRole('button', { name: 'Retry truncated.jpg' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Show truncated.jpg' }).click();
    expect(await page.locator('#preview-frame').isVisible()).toBe(false);
    expect(await page.locator('#no-image').textContent()).toContain('rejected');
    expect(await brokenImages()).toEqual([]);

    await page.locator('#file').setInputFiles(CHELSEA);
    await page.getByRole('button', { name: 'Upload and label' }).click();
    await expect.poll(() => itemState('chelsea.png'), { timeout: RESULT_TIMEOUT_MS }).toBe('done');
    const chelseaBlob = (await item('chelsea.png').getAttribute('data-blob-id'))!;

    // An older blob, from Recent: its image comes back through the owner's short-lived URL.
    await page.getByRole('button', { name: `Show blob ${chelseaBlob}` }).click();
    const preview = page.locator('#preview');
    // The upload's own preview (a blob: URL of the file) is replaced once the image URL is read.
    await expect.poll(() => preview.getAttribute('src'), { timeout: 10_000 }).toMatch(new RegExp(`^${cloud.s3Endpoint}/`));
    await expect.poll(() => preview.evaluate((image) => (image as HTMLImageElement).complete && (image as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBe(451);
    expect(await page.locator('.box[data-label="Cat"]').count()).toBeGreaterThan(0);

    // More blobs than a page: Load more brings the rest.
    const token = await idToken();
    for (let i = 0; i < 10; i += 1) {
      const response = await fetch(cloud.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: token },
        body: JSON.stringify({ query: 'mutation { createBlob(input: { contentType: "image/png" }) { blob { id } } }' }),
      });
      expect(response.status).toBe(200);
    }
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => page.locator('#recent li').count(), { timeout: 10_000 }).toBe(10);
    await page.getByRole('button', { name: 'Load more' }).click();
    await expect.poll(() => page.locator('#recent li').count(), { timeout: 10_000 }).toBe(12);
    expect(await page.getByRole('button', { name: 'Load more' }).isVisible()).toBe(false);

    expect(await brokenImages()).toEqual([]);
    expect(await scrollsSideways()).toBe(false);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'upload-widget-390px.png'), fullPage: true });
    expect(pageErrors).toEqual([]);
  });
});
