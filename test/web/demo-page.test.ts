// The demo page in a real browser (Debian's Chromium driven by playwright-core) against the local cloud: users sign
// up, in and out through the page's own form (the local user pool), the page creates the blob with the ID token,
// subscribes over the realtime WebSocket, uploads to the presigned URL and shows the labels the local labeller
// found; Recent shows the signed-in user's blobs only.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../local/cloud.ts';
import { BROWSER_SETUP_TIMEOUT_MS, DESKTOP, launchChromium, SCREENSHOT_DIR } from './support/browser.ts';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHELSEA = resolve(REPO_ROOT, 'test/fixtures/images/chelsea.png');
const RESULT_TIMEOUT_MS = 45_000;
const PASSWORD = 'Correct-Horse-9';
const UPLOAD_QUOTA_PER_DAY = 3;
const SESSION_PREFIX = 'image-labels.session:';

type LocalCloud = Awaited<ReturnType<typeof startLocalCloud>>;
interface StoredSession {
  idToken: string;
  accessToken: string;
  refreshToken: string | null;
  expiresAt: number;
}

const newEmail = (who: string) => `${who}-${randomUUID().slice(0, 8)}@example.com`;

describe('demo page', () => {
  let dataDir: string;
  let cloud: LocalCloud;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let webhooks: Server;
  let webhooksReceived: string[];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'demo-page-'));
    cloud = await startLocalCloud({
      dataDir,
      ports: { graphql: 0, graphqlHttps: 0, cognito: 0, s3: 0, dynamodb: 0, rekognition: 0 },
      uploadQuotaPerDay: UPLOAD_QUOTA_PER_DAY,
      quiet: true,
    });
    browser = await launchChromium();
    webhooksReceived = [];
    webhooks = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        webhooksReceived.push(req.url ?? '');
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((listening) => webhooks.listen(0, '127.0.0.1', listening));
  }, BROWSER_SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await cloud?.close();
    await new Promise((closed) => (webhooks ? webhooks.close(closed) : closed(undefined)));
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail' && page && !page.isClosed()) {
      // What the page said helps more than a timeout: e.g. the blob FAILED with its error code.
      const said = await page.locator('#auth-status, #auth-error, #queue, #error, #recent-status, #recent-error').allInnerTexts();
      console.error(`demo page at failure: ${said.join(' | ')}`);
    }
    await page?.context().close();
  });

  // --- the user pool and the API, called from the test (to set the scene, and to check what the page did) ---

  async function cognito(action: string, body: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(cloud.userPool.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${action}` },
      body: JSON.stringify({ ClientId: cloud.userPool.clientId, ...body }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  async function signUpDirectly(email: string): Promise<string> {
    const signedUp = await cognito('SignUp', { Username: email, Password: PASSWORD, UserAttributes: [{ Name: 'email', Value: email }] });
    expect(signedUp.status).toBe(200);
    const signedIn = await cognito('InitiateAuth', { AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: email, PASSWORD } });
    return String((signedIn.json.AuthenticationResult as Record<string, unknown>).IdToken);
  }

  async function createBlobDirectly(idToken: string): Promise<void> {
    const response = await fetch(cloud.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: idToken },
      body: JSON.stringify({
        query: 'mutation ($input: CreateBlobInput!) { createBlob(input: $input) { blob { id } } }',
        variables: { input: { contentType: 'image/png' } },
      }),
    });
    const body = (await response.json()) as { errors?: unknown[] };
    expect(body.errors).toBeUndefined();
  }

  // --- the page ---

  async function openDemoPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: DESKTOP });
    page = await context.newPage();
    pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('dialog', (dialog) => void dialog.accept());
    const response = await page.goto(cloud.demoPageUrl);
    expect(response?.status(), `the demo page should be served at ${cloud.demoPageUrl}`).toBe(200);
    await expect.poll(() => page.locator('#sign-in').isEnabled(), { timeout: 10_000 }).toBe(true);
    return page;
  }

  async function submitCredentials(button: 'Sign up' | 'Sign in', email: string, password = PASSWORD): Promise<void> {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: button, exact: true }).click();
  }

  async function expectSignedInAs(email: string): Promise<void> {
    await expect.poll(() => page.locator('#user-email').textContent(), { timeout: 10_000 }).toBe(email);
  }

  async function signOutThroughPage(): Promise<void> {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => page.locator('#signed-out').isVisible(), { timeout: 10_000 }).toBe(true);
  }

  async function storedSession(): Promise<StoredSession | null> {
    const entries = await page.evaluate(() => Object.entries(sessionStorage));
    const found = entries.find(([key]) => key.startsWith(SESSION_PREFIX));
    return found ? (JSON.parse(found[1]) as StoredSession) : null;
  }

  async function replaceStoredSession(session: StoredSession): Promise<void> {
    await page.evaluate(({ prefix, value }) => {
      const key = Object.keys(sessionStorage).find((name) => name.startsWith(prefix));
      if (key) sessionStorage.setItem(key, value);
    }, { prefix: SESSION_PREFIX, value: JSON.stringify(session) });
  }

  async function uploadThroughPage(file: string): Promise<void> {
    await page.locator('#file').setInputFiles(file);
    await page.getByRole('button', { name: 'Upload and label' }).click();
  }

  async function labelledBlobId(): Promise<string> {
    const done = page.locator('#queue li[data-state="done"][data-outcome="ok"]');
    await expect.poll(() => done.count(), { timeout: RESULT_TIMEOUT_MS }).toBe(1);
    return (await done.getAttribute('data-blob-id'))!;
  }

  async function recentRowIds(): Promise<string[]> {
    return page.locator('#recent li[data-blob-id]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-blob-id') ?? ''));
  }

  /** Signs the ID token with garbage: it still reads as unexpired, and the API refuses it. */
  function forged(token: string): string {
    const [header, payload, signature] = token.split('.');
    const middle = Math.floor(signature.length / 2);
    const flipped = signature[middle] === 'A' ? 'B' : 'A';
    return `${header}.${payload}.${signature.slice(0, middle)}${flipped}${signature.slice(middle + 1)}`;
  }

  it('signs a new user up through its own form, labels a photo, lists it, and signs out; another user sees none of it', async () => {
    await openDemoPage();
    expect(await page.locator('#upload-section').isVisible()).toBe(false);
    expect(await page.locator('#recent-section').isVisible()).toBe(false);
    expect(await page.locator('#password-rules').textContent()).toContain('at least 8 characters');
    const alice = newEmail('alice');

    await submitCredentials('Sign up', alice);

    await expectSignedInAs(alice);
    const session = await storedSession();
    expect(session?.refreshToken).toBeTruthy();
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    await expect.poll(() => page.locator('#recent-status').textContent(), { timeout: 10_000 }).toBe('No blobs yet.');

    await uploadThroughPage(CHELSEA);

    const labels = page.getByRole('list', { name: 'Labels' });
    await expect.poll(() => labels.locator('.label-name').allTextContents(), { timeout: RESULT_TIMEOUT_MS }).toContain('Cat');
    const blobId = await labelledBlobId();
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
    const row = page.locator(`#recent li[data-blob-id="${blobId}"]`);
    await expect.poll(() => row.locator('.badge').textContent(), { timeout: 10_000 }).toBe('Labelled');

    const screenshot = join(SCREENSHOT_DIR, 'demo-page.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect((await stat(screenshot)).size).toBeGreaterThan(10_000);
    console.info(`demo page screenshot: ${screenshot}`);

    await signOutThroughPage();

    expect(await page.locator('#upload-section').isVisible()).toBe(false);
    expect(await page.locator('#recent-section').isVisible()).toBe(false);
    expect(await page.locator('#result').isVisible()).toBe(false);
    expect(await recentRowIds()).toEqual([]);
    expect(await storedSession()).toBeNull();
    const refreshed = await cognito('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: session!.refreshToken } });
    expect(refreshed.json).toMatchObject({ __type: 'NotAuthorizedException', message: 'Refresh Token has been revoked' });

    const bob = newEmail('bob');
    await signUpDirectly(bob);
    await submitCredentials('Sign in', bob);

    await expectSignedInAs(bob);
    await expect.poll(() => page.locator('#recent-status').textContent(), { timeout: 10_000 }).toBe('No blobs yet.');
    expect(await recentRowIds()).toEqual([]);

    await signOutThroughPage();
    await submitCredentials('Sign in', alice);

    await expectSignedInAs(alice);
    await expect.poll(recentRowIds, { timeout: 10_000 }).toEqual([blobId]);
    expect(pageErrors).toEqual([]);
  });

  it("shows the user pool's refusals as typed errors: a weak password, an email taken, a wrong password", async () => {
    await openDemoPage();
    const account = page.locator('#auth-error');
    const taken = newEmail('taken');
    await signUpDirectly(taken);

    await submitCredentials('Sign up', newEmail('weak'), 'password');
    await expect.poll(() => account.getByTestId('error-type').textContent(), { timeout: 10_000 }).toBe('InvalidPasswordException');
    expect(await account.textContent()).toContain('Passwords need at least 8 characters, with a lower-case letter, an upper-case letter, a digit and a symbol.');

    await submitCredentials('Sign up', taken);
    await expect.poll(() => account.getByTestId('error-type').textContent(), { timeout: 10_000 }).toBe('UsernameExistsException');
    expect(await account.textContent()).toContain('An account with the given email already exists.');

    await submitCredentials('Sign in', taken, `${PASSWORD}x`);
    await expect.poll(() => account.getByTestId('error-type').textContent(), { timeout: 10_000 }).toBe('NotAuthorizedException');
    expect(await account.textContent()).toContain('Incorrect username or password.');
    expect(await page.locator('#upload-section').isVisible()).toBe(false);
    expect(await storedSession()).toBeNull();
  });

  it('asks for the confirmation code a deployed pool sends, confirms the sign-up and signs in', async () => {
    await openDemoPage();
    // The local pool confirms sign-ups at once: answer as a deployed one would, around the real pool.
    const confirmations: unknown[] = [];
    const cors = { 'access-control-allow-origin': '*', 'content-type': 'application/x-amz-json-1.1' };
    await page.route((url) => url.origin === new URL(cloud.userPool.endpoint).origin, async (route) => {
      const target = route.request().headers()['x-amz-target'];
      if (target === 'AWSCognitoIdentityProviderService.SignUp') {
        const response = await route.fetch();
        const json = { ...(await response.json()), UserConfirmed: false, CodeDeliveryDetails: { DeliveryMedium: 'EMAIL', Destination: 'h***@e***', AttributeName: 'email' } };
        await route.fulfill({ status: 200, headers: cors, body: JSON.stringify(json) });
      } else if (target === 'AWSCognitoIdentityProviderService.ConfirmSignUp') {
        confirmations.push(route.request().postDataJSON());
        await route.fulfill({ status: 200, headers: cors, body: '{}' });
      } else {
        await route.continue();
      }
    });
    const heidi = newEmail('heidi');

    await submitCredentials('Sign up', heidi);
    await expect.poll(() => page.getByLabel('Confirmation code').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.locator('#code-hint').textContent()).toBe('Sent to h***@e***.');
    expect(await page.locator('#upload-section').isVisible()).toBe(false);
    await page.getByLabel('Confirmation code').fill('123456');
    await page.getByRole('button', { name: 'Confirm', exact: true }).click();

    await expectSignedInAs(heidi);
    expect(confirmations).toEqual([{ ClientId: cloud.userPool.clientId, Username: heidi, ConfirmationCode: '123456' }]);
    expect(await page.locator('#confirm-form').isVisible()).toBe(false);
  });

  it('refreshes an ID token the API refuses and sends the request again; once the session is revoked, asks to sign in again', async () => {
    await openDemoPage();
    await submitCredentials('Sign up', newEmail('carol'));
    await expect.poll(() => page.locator('#recent-status').textContent(), { timeout: 10_000 }).toBe('No blobs yet.');
    const refusals: number[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/graphql' && response.status() === 401) refusals.push(response.status());
    });
    const session = (await storedSession())!;
    await replaceStoredSession({ ...session, idToken: forged(session.idToken) });

    await page.reload();

    await expect.poll(() => page.locator('#recent-status').textContent(), { timeout: 10_000 }).toBe('No blobs yet.');
    expect(refusals).toHaveLength(1);
    const renewed = (await storedSession())!;
    expect(renewed.idToken).not.toBe(forged(session.idToken));
    expect(renewed.refreshToken).toBe(session.refreshToken);

    await cognito('RevokeToken', { Token: session.refreshToken });
    await replaceStoredSession({ ...renewed, idToken: forged(renewed.idToken) });
    await page.reload();

    const account = page.locator('#auth-error');
    await expect.poll(() => account.getByTestId('error-type').textContent(), { timeout: 10_000 }).toBe('UnauthorizedException');
    expect(await account.textContent()).toContain('sign in again');
    expect(await page.locator('#signed-out').isVisible()).toBe(true);
    expect(await page.locator('#upload-section').isVisible()).toBe(false);
    expect(await storedSession()).toBeNull();
  });

  it('shows the GraphQL error type when an option is out of range', async () => {
    await openDemoPage();
    await submitCredentials('Sign up', newEmail('dave'));
    await page.locator('summary', { hasText: 'Options' }).click();
    await page.getByLabel('Minimum confidence (0–100)').fill('150');

    await uploadThroughPage(CHELSEA);

    const alert = page.locator('#queue .item-error');
    await expect.poll(() => alert.getByTestId('error-type').textContent(), { timeout: 10_000 }).toBe('ValidationError');
    expect(await alert.textContent()).toContain('minConfidence');
    expect(pageErrors).toEqual([]);
  });

  it('shows QuotaExceeded with the limit and when it resets', async () => {
    const erin = newEmail('erin');
    const token = await signUpDirectly(erin);
    for (let i = 0; i < UPLOAD_QUOTA_PER_DAY; i += 1) await createBlobDirectly(token);
    await openDemoPage();
    await submitCredentials('Sign in', erin);
    await expectSignedInAs(erin);

    await uploadThroughPage(CHELSEA);

    const alert = page.locator('#queue .item-error');
    await expect.poll(() => alert.getByTestId('error-type').textContent(), { timeout: 10_000 }).toBe('QuotaExceeded');
    const text = await alert.textContent();
    expect(text).toContain(`Limit: ${UPLOAD_QUOTA_PER_DAY} uploads per day.`);
    expect(text).toMatch(/The quota resets at .+ \(in \d+ (h|min|s)/);
  });

  it('says the blob was deleted (DELETED, BlobDeleted) when it is deleted from Recent while it uploads', async () => {
    await openDemoPage();
    const frank = newEmail('frank');
    await submitCredentials('Sign up', frank);
    await expectSignedInAs(frank);
    // The upload waits, so the blob is still PENDING_UPLOAD when it is deleted.
    let heldUpload: Route | null = null;
    await page.route(`${cloud.s3Endpoint}/**`, async (route) => {
      if (route.request().method() === 'PUT') heldUpload = route;
      else await route.continue();
    });

    try {
      await uploadThroughPage(CHELSEA);
      const item = page.locator('#queue li[data-file="chelsea.png"]');
      await expect.poll(() => item.locator('.item-status').textContent(), { timeout: 10_000 }).toMatch(/^Uploading/);
      await expect.poll(() => heldUpload !== null, { timeout: 10_000 }).toBe(true);
      await expect.poll(recentRowIds, { timeout: 10_000 }).toHaveLength(1);
      const [blobId] = await recentRowIds();

      await page.getByRole('button', { name: `Delete blob ${blobId}` }).click();

      await expect.poll(() => item.locator('.item-status').textContent(), { timeout: 10_000 }).toBe('Deleted: BlobDeleted');
      expect(await item.getAttribute('data-blob-id')).toBe(blobId);
      expect(await item.locator('.item-error').getByTestId('error-type').textContent()).toBe('BlobDeleted');
      expect(await page.locator('#error').getByTestId('error-type').textContent()).toBe('BlobDeleted');
      await expect.poll(recentRowIds, { timeout: 10_000 }).toEqual([]);
    } finally {
      await (heldUpload as Route | null)?.abort().catch(() => {});
    }
  });

  it('shows TooManyRequests when the webhook is sent again within its cooldown', async () => {
    await openDemoPage();
    await submitCredentials('Sign up', newEmail('grace'));
    const hook = `/hook/${randomUUID()}`;
    await page.locator('summary', { hasText: 'Options' }).click();
    await page.getByLabel('Callback URL (optional)').fill(`http://127.0.0.1:${(webhooks.address() as AddressInfo).port}${hook}`);

    await uploadThroughPage(CHELSEA);
    const blobId = await labelledBlobId();
    await expect.poll(() => webhooksReceived.includes(hook), { timeout: RESULT_TIMEOUT_MS }).toBe(true);
    const webhookCell = page.locator(`#recent li[data-blob-id="${blobId}"] .webhook`);
    await expect.poll(async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      return webhookCell.textContent();
    }, { timeout: 10_000 }).toMatch(/^Webhook: Delivered/);

    await page.getByRole('button', { name: `Send the webhook of blob ${blobId} again` }).click();

    const alert = page.locator('#recent-error');
    await expect.poll(() => alert.getByTestId('error-type').textContent(), { timeout: 10_000 }).toBe('TooManyRequests');
    expect(await alert.textContent()).toMatch(/Try again in \d+ s\./);
  });
});
