// @ts-check
// Demo page of the image-labelling API, built on the client package. Plain browser modules, no build step.
// Read amplify_outputs.json → sign up / in with the user pool → add images to the queue (each checked for type
// and size, with a thumbnail) → label them a few at a time with labelImage (create, subscribe, upload with
// progress, wait), each cancellable and retryable → show a result with its boxes. Recent lists the signed-in
// user's blobs, a page at a time; an older blob shows its image again through its short-lived image URL.
import { checkImage } from '../client/dist/index.js';
import { createAccountPanel } from './account.js';
import { createApi } from './api.js';
import { loadClientConfig, passwordRules } from './client-config.js';
import { $, showErrorCard } from './dom.js';
import { ApiError } from './errors.js';
import { retryText } from './format.js';
import { createQueueView } from './queue-view.js';
import { createRecentList } from './recent-view.js';
import { showResult } from './result-view.js';
import { createSession, sessionStorageKey, tabStorage } from './session.js';
import { createUploadQueue, isFinished } from './upload-queue.js';
import { createUserPoolClient } from './user-pool.js';

const RECENT_PAGE_SIZE = 10;
const CONCURRENT_UPLOADS = 2;

/**
 * @typedef {import('./api.js').ImageBlob} ImageBlob
 * @typedef {import('./api.js').ImageLabelsClient} ImageLabelsClient
 * @typedef {import('./client-config.js').ClientConfig} ClientConfig
 * @typedef {import('./session.js').Session} Session
 * @typedef {import('./session.js').SessionChange} SessionChange
 * @typedef {import('./session.js').User} User
 * @typedef {import('./upload-queue.js').QueueItem} QueueItem
 */

/** @type {Session | null} */
let session = null;
/** @type {ImageLabelsClient | null} */
let api = null;
/** Bumped at every sign-in and sign-out: answers to requests made for an earlier user are dropped, never shown. */
let epoch = 0;

const account = createAccountPanel();
const recent = createRecentList({ api: () => api, epoch: () => epoch, show: (id) => void showBlob(id), pageSize: RECENT_PAGE_SIZE });
const queue = createUploadQueue({
  check: (file) => checkImage(file),
  label: (file, options) => {
    if (!api) return Promise.reject(new ApiError('Session', 'NotSignedIn', 'Sign in first'));
    return api.labelImage(file, options);
  },
  concurrency: CONCURRENT_UPLOADS,
  onChange: onItemChange,
});
const queueView = createQueueView($('queue'), {
  cancel: (id) => queue.cancel(id),
  retry: (id) => queue.retry(id),
  show: (id) => showItem(id),
  remove: (id) => {
    if (queue.remove(id)) queueView.remove(id);
    updateQueueControls();
  },
});

// ---------------------------------------------------------------------------------------------
// Session.

/**
 * @param {SessionChange} change
 * @param {User | null} user
 * @param {ApiError | null} reason
 */
function onSessionChange(change, user, reason) {
  if (change === 'refreshed') return;
  epoch += 1;
  // Everything shown or running for the previous user goes.
  queue.clear();
  queueView.clear();
  showResult(null, null);
  showErrorCard('error', null);
  recent.clear();
  render(user);
  if (change === 'ended') {
    account.setStatus('You are signed out.');
    account.showError(reason);
  }
  if (user) void recent.refresh();
}

/** @param {User | null} user */
function render(user) {
  account.render(user);
  $('upload-section').hidden = user === null;
  $('recent-section').hidden = user === null;
  updateQueueControls();
}

// ---------------------------------------------------------------------------------------------
// The queue.

/** @param {QueueItem} item */
function onItemChange(item) {
  queueView.render(item);
  updateQueueControls();
  // The blob exists from here on: list it, so that it can be deleted while it uploads.
  if (item.state === 'running' && item.progress?.phase === 'subscribing') void recent.refresh();
  if (item.state === 'done' && item.blob) {
    showItem(item.id);
    void recent.refresh();
  }
}

/** @param {number} id */
function showItem(id) {
  const item = queue.items().find((candidate) => candidate.id === id);
  if (!item?.blob) return;
  showBlobResult(item.blob, { file: item.file });
}

/**
 * @param {ImageBlob} blob
 * @param {import('./result-view.js').ImageSource} source
 */
function showBlobResult(blob, source) {
  showErrorCard('error', blob.error ? new ApiError('Blob', blob.error.code, blob.error.message, { details: [retryText(blob.error)] }) : null);
  showResult(blob, source);
}

/** "3 images: 1 labelling, 2 done" */
function queueSummary() {
  const items = queue.items();
  if (!items.length) return '';
  const running = items.filter((item) => item.state === 'running' || item.state === 'queued').length;
  const finished = items.filter(isFinished).length;
  const ready = items.filter((item) => item.state === 'ready').length;
  const parts = [running ? `${running} in progress` : null, ready ? `${ready} ready` : null, finished ? `${finished} finished` : null];
  return `${items.length} image${items.length === 1 ? '' : 's'}: ${parts.filter(Boolean).join(', ')}`;
}

function updateQueueControls() {
  const items = queue.items();
  const signedIn = session?.user() != null;
  /** @type {HTMLButtonElement} */ ($('upload-button')).disabled = !signedIn || !items.some((item) => item.state === 'ready');
  /** @type {HTMLButtonElement} */ ($('clear-finished')).disabled = !items.some(isFinished);
  $('queue-status').textContent = queueSummary();
}

/** Reads the options form: empty fields are left out, so the API applies its defaults. */
function readOptions() {
  const data = new FormData(/** @type {HTMLFormElement} */ ($('upload-form')));
  /** @type {{ minConfidence?: number, maxLabels?: number, callbackUrl?: string }} */
  const options = {};
  const minConfidence = String(data.get('minConfidence') ?? '').trim();
  const maxLabels = String(data.get('maxLabels') ?? '').trim();
  const callbackUrl = String(data.get('callbackUrl') ?? '').trim();
  if (minConfidence) options.minConfidence = Number(minConfidence);
  if (maxLabels) options.maxLabels = Number(maxLabels);
  if (callbackUrl) options.callbackUrl = callbackUrl;
  return options;
}

/** @param {FileList | null | undefined} files */
function addFiles(files) {
  if (!files?.length) return;
  queue.add(files);
}

function wireFileInput() {
  const input = /** @type {HTMLInputElement} */ ($('file'));
  const zone = $('drop-zone');
  input.addEventListener('change', () => {
    addFiles(input.files);
    input.value = ''; // the same file can be added again
  });
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    addFiles(event.dataTransfer?.files);
  });
  $('upload-form').addEventListener('submit', (event) => {
    event.preventDefault();
    queue.start(readOptions());
  });
  $('clear-finished').addEventListener('click', () => {
    for (const item of [...queue.items()]) {
      if (isFinished(item) && queue.remove(item.id)) queueView.remove(item.id);
    }
    updateQueueControls();
  });
}

// ---------------------------------------------------------------------------------------------
// An older blob, from Recent: its labels, and its image through the owner's short-lived URL.

/** @param {string} id */
async function showBlob(id) {
  const client = api;
  if (!client) return;
  const asked = epoch;
  try {
    const [blob, url] = await Promise.all([client.getBlob(id), client.getImageUrl(id)]);
    if (asked !== epoch) return;
    if (!blob) throw new ApiError('GraphQL', 'NotFound', `Blob ${id} no longer exists`);
    showBlobResult(blob, url ? { url, name: `blob ${id}` } : null);
    $('result').scrollIntoView({ behavior: 'smooth', block: 'start' });
  } catch (error) {
    if (asked === epoch) showErrorCard('recent-error', error);
  }
}

// ---------------------------------------------------------------------------------------------
// Wiring.

/** Earlier versions of the page kept API keys in localStorage; the API has none any more. */
function forgetApiKeys() {
  try {
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith('image-labels.apiKey:')) localStorage.removeItem(key);
    }
  } catch {
    // Storage disabled: nothing was kept either.
  }
}

/** @param {ClientConfig} clientConfig @param {string} rules */
function showConnection(clientConfig, rules) {
  const { userPool } = clientConfig;
  $('graphql-endpoint').textContent = clientConfig.graphqlUrl;
  $('realtime-endpoint').textContent = clientConfig.realtimeUrl;
  $('user-pool').textContent = `${userPool.userPoolId} (client ${userPool.clientId}) at ${userPool.endpoint}`;
  $('config-source').textContent = clientConfig.configUrl;
  $('password-rules').textContent = `For a new account: ${rules.charAt(0).toLowerCase()}${rules.slice(1)}`;
  // The address can point the page elsewhere: say where passwords and tokens then go.
  const params = new URLSearchParams(location.search);
  const notice = $('config-notice');
  notice.hidden = !params.has('config') && !params.has('endpoint');
  notice.textContent = notice.hidden ? '' :
    `This address points the page at another service: your password goes to ${new URL(userPool.endpoint).host} ` +
    `and your tokens to ${new URL(clientConfig.graphqlUrl).host}.`;
}

async function init() {
  forgetApiKeys();
  wireFileInput();
  let config;
  try {
    config = await loadClientConfig(new URL(location.href));
  } catch (error) {
    $('signed-out').hidden = false;
    account.setStatus('The page cannot sign anyone in without its configuration.');
    account.showError(error);
    return;
  }
  const rules = passwordRules(config.passwordPolicy);
  showConnection(config, rules);
  const pool = createUserPoolClient(config.userPool);
  session = createSession({ pool, storage: tabStorage(), storageKey: sessionStorageKey(config), onChange: onSessionChange });
  api = createApi(config, session);
  account.connect(pool, session, rules);
  const user = session.restore();
  render(user);
  if (user) void recent.refresh();
}

void init();
