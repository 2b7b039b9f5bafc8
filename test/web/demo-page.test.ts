// The demo page in a real browser (Debian's Chromium driven by playwright-core) against the local cloud:
// the page creates the blob, subscribes over the realtime WebSocket, uploads to the presigned URL and shows
// the labels the local labeller found.
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../local/cloud.ts';

const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHELSEA = resolve(REPO_ROOT, 'test/fixtures/images/chelsea.png');
const RESULT_TIMEOUT_MS = 45_000;

type LocalCloud = Awaited<ReturnType<typeof startLocalCloud>>;

describe('demo page', () => {
  let dataDir: string;
  let cloud: LocalCloud;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM_PATH)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM_PATH}: the demo page test needs it. ` +
          'Install it with `apt-get install -y chromium` (or set CHROMIUM_PATH to another Chromium binary).',
      );
    }
    dataDir = await mkdtemp(join(tmpdir(), 'demo-page-'));
    cloud = await startLocalCloud({ dataDir, ports: { graphql: 0, graphqlHttps: 0, s3: 0, dynamodb: 0, rekognition: 0 }, quiet: true });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    await cloud?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function openDemoPage(apiKey = cloud.apiKey): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    const url = new URL('/', cloud.graphqlUrl);
    url.searchParams.set('apiKey', apiKey);
    const response = await page.goto(url.href);
    expect(response?.status(), `the demo page should be served at ${url.origin}/`).toBe(200);
    return page;
  }

  async function uploadThroughPage(file: string): Promise<void> {
    await page.locator('#file').setInputFiles(file);
    await page.getByRole('button', { name: 'Upload and label' }).click();
  }

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page && !page.isClosed()) {
      // What the page said helps more than a timeout: e.g. the blob FAILED with its error code.
      const said = await page.locator('#status, #error, #recent-status').allInnerTexts();
      console.error(`demo page at failure: ${said.join(' | ')}`);
    }
    await page?.context().close();
  });

  it('labels an uploaded photo as a cat and draws its bounding box over the preview', async () => {
    await openDemoPage();

    await uploadThroughPage(CHELSEA);

    const labels = page.getByRole('list', { name: 'Labels' });
    await expect.poll(() => labels.locator('.label-name').allTextContents(), { timeout: RESULT_TIMEOUT_MS })
      .toContain('Cat');
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/is LABELLED\./);
    const image = await page.locator('#preview').boundingBox();
    const catBox = await page.locator('.box[data-label="Cat"]').first().boundingBox();
    expect(image).not.toBeNull();
    expect(catBox).not.toBeNull();
    expect(catBox!.width).toBeGreaterThan(image!.width * 0.1);
    expect(catBox!.height).toBeGreaterThan(image!.height * 0.1);
    expect(catBox!.x).toBeGreaterThanOrEqual(image!.x - 2);
    expect(catBox!.y).toBeGreaterThanOrEqual(image!.y - 2);
    expect(catBox!.x + catBox!.width).toBeLessThanOrEqual(image!.x + image!.width + 2);
    expect(catBox!.y + catBox!.height).toBeLessThanOrEqual(image!.y + image!.height + 2);
    await expect.poll(() => page.locator('#error').isHidden()).toBe(true);
    expect(pageErrors).toEqual([]);

    const screenshotDir = await mkdtemp(join(tmpdir(), 'demo-page-screenshot-'));
    const screenshot = join(screenshotDir, 'demo-page.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect((await stat(screenshot)).size).toBeGreaterThan(10_000);
    console.info(`demo page screenshot: ${screenshot}`);
  });

  it('shows the GraphQL error type when an option is out of range', async () => {
    await openDemoPage();
    await page.locator('summary', { hasText: 'Options' }).click();
    await page.getByLabel('Minimum confidence (0–100)').fill('150');

    await uploadThroughPage(CHELSEA);

    const errorType = page.getByRole('alert').getByTestId('error-type');
    await expect.poll(() => errorType.textContent(), { timeout: 10_000 }).toBe('ValidationError');
    expect(await page.getByRole('alert').textContent()).toContain('minConfidence');
    expect(pageErrors).toEqual([]);
  });

  it('says the API key is refused when it is wrong', async () => {
    await openDemoPage('da2-notthekey');

    const recentStatus = page.locator('#recent-status');

    await expect.poll(() => recentStatus.textContent(), { timeout: 10_000 }).toContain('UnauthorizedException');
  });

  it('lists the labelled blob among recent blobs and deletes it', async () => {
    await openDemoPage();
    await uploadThroughPage(CHELSEA);
    const status = page.locator('#status');
    await expect.poll(() => status.textContent(), { timeout: RESULT_TIMEOUT_MS }).toMatch(/is LABELLED\./);
    const blobId = /Blob (\S+) is LABELLED/.exec((await status.textContent()) ?? '')![1];
    const row = page.locator(`#recent tr[data-blob-id="${blobId}"]`);
    await expect.poll(() => row.locator('.badge').textContent(), { timeout: 10_000 }).toBe('Labelled');

    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: `Delete blob ${blobId}` }).click();

    await expect.poll(() => page.locator('#recent-status').textContent(), { timeout: 10_000 })
      .toBe(`Deleted blob ${blobId}.`);
    expect(await row.count()).toBe(0);
  });
});
