// @ts-check
// Demo page of the image-labelling API. Plain browser modules: no build step, no dependencies.
// Flow: read amplify_outputs.json → sign up / sign in with the user pool → createBlob (GraphQL over HTTP, the ID
// token as Authorization) → labelsReady subscription (AppSync realtime WebSocket) → PUT the bytes to the presigned
// URL → render the labels and their bounding boxes. Recent lists the signed-in user's blobs (the API scopes them).
import { CREATE_BLOB, DELETE_BLOB, GET_BLOB, LABELS_READY, LIST_BLOBS, REDELIVER_CALLBACK, graphql, subscribe, uploadFile } from './api.js';
import { loadClientConfig, passwordRules } from './client-config.js';
import { $, el, showErrorCard } from './dom.js';
import { ApiError, describe } from './errors.js';
import { formatBytes, formatPercent, formatTime, retryText, shortId, statusText } from './format.js';
import { showResult } from './result-view.js';
import { createSession } from './session.js';
import { createUserPoolClient } from './user-pool.js';

const RESULT_TIMEOUT_MS = 120_000;
const FINAL_STATUSES = ['LABELLED', 'FAILED', 'REJECTED', 'DELETED'];
const SESSION_STORAGE_PREFIX = 'image-labels.session:';
const RECENT_LIMIT = 10;

/**
 * @typedef {import('./api.js').ApiBlob} ApiBlob
 * @typedef {import('./api.js').Connection} Connection
 * @typedef {import('./client-config.js').ClientConfig} ClientConfig
 * @typedef {import('./session.js').Session} Session
 * @typedef {import('./session.js').SessionChange} SessionChange
 * @typedef {import('./session.js').User} User
 * @typedef {import('./user-pool.js').UserPoolClient} UserPoolClient
 */

/** @type {ClientConfig | null} */
let config = null;
/** @type {UserPoolClient | null} */
let pool = null;
/** @type {Session | null} */
let session = null;
/** @type {Connection | null} */
let connection = null;
let passwordRulesText = '';
/** Bumped at every sign-in and sign-out: answers to requests made for an earlier user are dropped, never shown. */
let epoch = 0;
/** The labelling in progress; signing out aborts it. @type {AbortController | null} */
let labelling = null;
/** A sign-up (or sign-in) waiting for its confirmation code; the password stays in memory only. */
/** @type {{ email: string, password: string } | null} */
let awaitingCode = null;
/** @type {File | null} */
let chosenFile = null;

// ---------------------------------------------------------------------------------------------
// Account: sign up, confirm, sign in, sign out.

/**
 * Where a session is kept: one per user pool, app client and API, so tokens never go to an API they were not
 * obtained for.
 * @param {ClientConfig} clientConfig
 */
function sessionKey(clientConfig) {
  const { endpoint, userPoolId, clientId } = clientConfig.userPool;
  return `${SESSION_STORAGE_PREFIX}${endpoint}|${userPoolId}|${clientId}|${clientConfig.graphqlUrl}`;
}

/** sessionStorage, or a map for this page only when the browser refuses storage. */
function tabStorage() {
  try {
    sessionStorage.getItem(SESSION_STORAGE_PREFIX);
    return sessionStorage;
  } catch {
    /** @type {Map<string, string>} */
    const memory = new Map();
    return {
      getItem: (/** @type {string} */ key) => memory.get(key) ?? null,
      setItem: (/** @type {string} */ key, /** @type {string} */ value) => void memory.set(key, value),
      removeItem: (/** @type {string} */ key) => void memory.delete(key),
    };
  }
}

/**
 * @param {SessionChange} change
 * @param {User | null} user
 * @param {ApiError | null} reason
 */
function onSessionChange(change, user, reason) {
  if (change === 'refreshed') return;
  epoch += 1;
  labelling?.abort();
  labelling = null;
  clearWork();
  renderAccount(user);
  if (change === 'ended') {
    setAuthStatus('You are signed out.');
    showAuthError(reason);
  }
  if (user) void refreshRecent();
}

/** @param {User | null} user */
function renderAccount(user) {
  $('signed-out').hidden = user !== null;
  $('signed-in').hidden = user === null;
  $('user-email').textContent = user?.email ?? '';
  $('upload-section').hidden = user === null;
  $('recent-section').hidden = user === null;
  updateUploadButton();
}

/** Forgets everything shown for the previous user. */
function clearWork() {
  showResult(null, null);
  showError(null);
  setStep(null);
  setStatus('');
  /** @type {HTMLTableElement} */ ($('recent')).tBodies[0].replaceChildren();
  $('recent-status').textContent = '';
  showErrorCard('recent-error', null);
}

/** @param {string} text */
function setAuthStatus(text) {
  $('auth-status').textContent = text;
}

/** @param {unknown} error */
function showAuthError(error) {
  showErrorCard('auth-error', error, { passwordRules: passwordRulesText });
}

/** @param {boolean} busy */
function setAuthBusy(busy) {
  for (const id of ['sign-in', 'sign-up', 'confirm', 'resend-code', 'sign-out']) {
    /** @type {HTMLButtonElement} */ ($(id)).disabled = busy || !session;
  }
}

/** @returns {{ email: string, password: string } | null} */
function readCredentials() {
  const email = /** @type {HTMLInputElement} */ ($('email')).value.trim();
  const password = /** @type {HTMLInputElement} */ ($('password')).value;
  if (!email || !password) {
    showAuthError(new ApiError('Page', 'MissingInput', 'Enter an email and a password.'));
    return null;
  }
  return { email, password };
}

/**
 * Runs one account action: busy buttons, errors in the account card.
 * @param {() => Promise<void>} action
 */
async function accountAction(action) {
  showAuthError(null);
  setAuthBusy(true);
  try {
    await action();
  } catch (error) {
    setAuthStatus('');
    if (error instanceof ApiError && error.type === 'UserNotConfirmedException') askForCode(null);
    showAuthError(error);
  } finally {
    setAuthBusy(false);
  }
}

/** @param {SubmitEvent} event */
function submitAuth(event) {
  event.preventDefault();
  const credentials = readCredentials();
  if (!credentials || !pool || !session) return;
  const signUp = /** @type {HTMLElement | null} */ (event.submitter)?.id === 'sign-up';
  void accountAction(() => (signUp ? signUpWith(credentials) : signInWith(credentials)));
}

/** @param {{ email: string, password: string }} credentials */
async function signUpWith(credentials) {
  if (!pool) return;
  setAuthStatus(`Creating an account for ${credentials.email}…`);
  const { confirmed, codeSentTo } = await pool.signUp(credentials.email, credentials.password);
  if (!confirmed) {
    awaitingCode = credentials;
    askForCode(codeSentTo);
    setAuthStatus(`Account created for ${credentials.email}: enter the confirmation code to finish.`);
    return;
  }
  await signInWith(credentials);
}

/** @param {{ email: string, password: string }} credentials */
async function signInWith(credentials) {
  if (!session) return;
  setAuthStatus(`Signing in as ${credentials.email}…`);
  try {
    await session.signIn(credentials.email, credentials.password);
    setAuthStatus(''); // the signed-in line says who
    /** @type {HTMLInputElement} */ ($('password')).value = '';
    awaitingCode = null;
    $('confirm-form').hidden = true;
  } catch (error) {
    if (error instanceof ApiError && error.type === 'UserNotConfirmedException') awaitingCode = credentials;
    throw error;
  }
}

/** @param {string | null} codeSentTo */
function askForCode(codeSentTo) {
  $('confirm-form').hidden = false;
  $('code-hint').textContent = codeSentTo ? `Sent to ${codeSentTo}.` : 'Sent by email when you signed up.';
  /** @type {HTMLInputElement} */ ($('code')).focus();
}

/** @param {SubmitEvent} event */
function submitCode(event) {
  event.preventDefault();
  const code = /** @type {HTMLInputElement} */ ($('code')).value.trim();
  const pending = awaitingCode ?? readCredentials();
  if (!pending || !pool) return;
  if (!code) {
    showAuthError(new ApiError('Page', 'MissingInput', 'Enter the confirmation code.'));
    return;
  }
  void accountAction(async () => {
    await /** @type {UserPoolClient} */ (pool).confirmSignUp(pending.email, code);
    /** @type {HTMLInputElement} */ ($('code')).value = '';
    await signInWith(pending);
  });
}

function resendCode() {
  const pending = awaitingCode ?? readCredentials();
  if (!pending || !pool) return;
  void accountAction(async () => {
    const sentTo = await /** @type {UserPoolClient} */ (pool).resendConfirmationCode(pending.email);
    setAuthStatus(`A new code was sent${sentTo ? ` to ${sentTo}` : ''}.`);
  });
}

function signOut() {
  if (!session) return;
  const current = session;
  void accountAction(async () => {
    const email = current.user()?.email ?? '';
    const { error } = await current.signOut();
    setAuthStatus(error
      ? `Signed out of this page; the user pool could not end the session (${describe(error)}).`
      : `${email} signed out.`);
  });
}

function togglePasswordVisibility() {
  const input = /** @type {HTMLInputElement} */ ($('password'));
  const button = $('toggle-password');
  const show = input.type === 'password';
  input.type = show ? 'text' : 'password';
  button.textContent = show ? 'Hide' : 'Show';
  button.setAttribute('aria-pressed', String(show));
}

/** @param {ClientConfig} clientConfig */
function showConnection(clientConfig) {
  const { userPool } = clientConfig;
  $('graphql-endpoint').textContent = clientConfig.graphqlUrl;
  $('realtime-endpoint').textContent = clientConfig.realtimeUrl;
  $('user-pool').textContent = `${userPool.userPoolId} (client ${userPool.clientId}) at ${userPool.endpoint}`;
  $('config-source').textContent = clientConfig.configUrl;
  $('password-rules').textContent = `For a new account: ${passwordRulesText.charAt(0).toLowerCase()}${passwordRulesText.slice(1)}`;
  // The address can point the page elsewhere: say where passwords and tokens then go.
  const params = new URLSearchParams(location.search);
  const notice = $('config-notice');
  notice.hidden = !params.has('config') && !params.has('endpoint');
  notice.textContent = notice.hidden ? '' :
    `This address points the page at another service: your password goes to ${new URL(userPool.endpoint).host} ` +
    `and your tokens to ${new URL(clientConfig.graphqlUrl).host}.`;
}

// ---------------------------------------------------------------------------------------------
// The labelling flow.

/**
 * @param {File} file
 * @param {{ minConfidence?: number, maxLabels?: number, callbackUrl?: string }} options
 * @param {AbortSignal} signal aborted when the user signs out
 */
async function labelImage(file, options, signal) {
  const api = /** @type {Connection} */ (connection);
  showError(null);
  showResult(null, file);
  setStep('creating');
  const { createBlob } = await graphql(api, CREATE_BLOB, {
    input: { contentType: file.type || 'application/octet-stream', contentLength: file.size, ...options },
  });
  throwIfAborted(signal);
  const created = createBlob.blob;
  setStatus(`Blob ${created.id} created; upload URL valid until ${formatTime(createBlob.upload.expiresAt)}.`);
  void refreshRecent();

  setStep('subscribing');
  /** @type {ReturnType<typeof deferred<ApiBlob>>} */
  const result = deferred();
  const stop = await subscribe(api, LABELS_READY, { id: created.id }, {
    onData: (data) => {
      if (data.labelsReady) result.resolve(data.labelsReady);
    },
    onError: (error) => result.reject(error),
  });
  const uploadAbort = new AbortController();
  const cancel = () => {
    uploadAbort.abort();
    result.reject(new ApiError('Page', 'Cancelled', 'Signed out'));
  };
  signal.addEventListener('abort', cancel, { once: true });

  try {
    throwIfAborted(signal);
    setStep('uploading');
    const uploaded = uploadFile(createBlob.upload, file, setUploadProgress, uploadAbort.signal);
    uploaded.catch(() => {}); // awaited below unless the blob ends first
    // The blob can end before its upload does: deleted meanwhile (DELETED), for one.
    const early = await Promise.race([uploaded.then(() => null), result.promise]);
    if (early) {
      finishWith(early, file);
      return;
    }
    setStep('processing');
    setStatus(`Uploaded ${formatBytes(file.size)}; waiting for labelsReady…`);
    const blob = await withTimeout(result.promise, RESULT_TIMEOUT_MS, () => fallbackRead(api, created.id));
    throwIfAborted(signal);
    finishWith(blob, file);
  } finally {
    signal.removeEventListener('abort', cancel);
    uploadAbort.abort();
    stop();
  }
}

/** @param {AbortSignal} signal */
function throwIfAborted(signal) {
  if (signal.aborted) throw new ApiError('Page', 'Cancelled', 'Signed out');
}

/**
 * When no event came in time, reads the blob once so the page says where it stands.
 * @param {Connection} api @param {string} id
 */
async function fallbackRead(api, id) {
  const { blob } = await graphql(api, GET_BLOB, { id });
  if (blob && FINAL_STATUSES.includes(blob.status)) return blob;
  throw new ApiError('Realtime', 'Timeout',
    `No labelsReady event within ${RESULT_TIMEOUT_MS / 1000} s; the blob is ${blob ? blob.status : 'gone'}`);
}

/** @param {ApiBlob} blob @param {File | null} file */
function finishWith(blob, file) {
  setStep('done', blob.status === 'LABELLED' ? 'done' : 'failed', statusText(blob.status));
  setStatus(`Blob ${blob.id} is ${blob.status}.`);
  if (blob.error) showError(new ApiError('Blob', blob.error.code, blob.error.message, { details: [retryText(blob.error)] }));
  // A deleted blob has nothing left to show.
  showResult(blob.status === 'DELETED' ? null : blob, file);
  void refreshRecent();
}

// ---------------------------------------------------------------------------------------------
// Progress.

const STEPS = ['creating', 'subscribing', 'uploading', 'processing', 'done'];
const STEP_TEXT = {
  creating: 'Creating blob…', subscribing: 'Subscribing to labelsReady…', uploading: 'Uploading…',
  processing: 'Processing…', done: '',
};

/**
 * Marks the steps before `step` done and `step` itself active (or done/failed).
 * @param {string | null} step
 * @param {'active' | 'done' | 'failed'} [state]
 * @param {string} [text]
 */
function setStep(step, state = 'active', text) {
  const progress = $('progress');
  const index = step ? STEPS.indexOf(step) : -1;
  progress.dataset.active = step ? 'true' : 'false';
  for (const item of progress.querySelectorAll('li')) {
    const itemIndex = STEPS.indexOf(item.dataset.step ?? '');
    const itemState = itemIndex < index ? 'done' : itemIndex === index ? state : 'pending';
    item.dataset.state = itemState;
    if (itemIndex === index) item.setAttribute('aria-current', 'step');
    else item.removeAttribute('aria-current');
  }
  $('result-step').textContent = step === 'done' && text ? `Result: ${text}` : 'Result';
  if (step === 'uploading') setUploadProgress(0);
  const stepText = step ? STEP_TEXT[/** @type {keyof typeof STEP_TEXT} */ (step)] : '';
  if (stepText) setStatus(stepText);
}

/** Marks the step in progress as the one that failed, and says so. */
function failCurrentStep() {
  const current = /** @type {HTMLElement | null} */ ($('progress').querySelector('li[aria-current="step"]'));
  if (!current?.dataset.step) return;
  setStep(current.dataset.step, 'failed');
  setStatus(`Stopped at “${current.textContent?.trim()}”.`);
}

/** @param {number} fraction */
function setUploadProgress(fraction) {
  /** @type {HTMLProgressElement} */ ($('upload-progress')).value = fraction;
}

/** @param {string} text */
function setStatus(text) {
  $('status').textContent = text;
}

/** @param {unknown} error */
function showError(error) {
  showErrorCard('error', error);
}

// ---------------------------------------------------------------------------------------------
// Recent blobs: the signed-in user's own (the API answers nothing else).

async function refreshRecent() {
  if (!connection || !session?.user()) return;
  const asked = epoch;
  const status = $('recent-status');
  status.textContent = 'Loading…';
  try {
    const { blobs } = await graphql(connection, LIST_BLOBS, { limit: RECENT_LIMIT });
    if (asked !== epoch) return;
    showErrorCard('recent-error', null);
    /** @type {HTMLTableElement} */ ($('recent')).tBodies[0].replaceChildren(...blobs.items.map(recentRow));
    const count = blobs.items.length;
    status.textContent = count ? `${count} blob${count === 1 ? '' : 's'}, newest first` : 'No blobs yet.';
  } catch (error) {
    if (asked !== epoch) return;
    status.textContent = 'Cannot list your blobs.';
    showErrorCard('recent-error', error);
  }
}

/** @param {ApiBlob} blob */
function recentRow(blob) {
  const top = (blob.labels ?? []).slice(0, 3).map((label) => `${label.name} ${formatPercent(label.confidence)}`);
  const show = el('button', { type: 'button', class: 'link', 'aria-label': `Show blob ${blob.id}` }, shortId(blob.id));
  show.title = blob.id;
  show.addEventListener('click', () => void showBlob(blob.id));
  const actions = el('td', { class: 'row-actions' });
  if (blob.callback) {
    const redeliver = el('button', { type: 'button', class: 'secondary small', 'aria-label': `Send the webhook of blob ${blob.id} again` }, 'Resend webhook');
    redeliver.addEventListener('click', () => void redeliverWebhook(blob.id));
    actions.append(redeliver, ' ');
  }
  const remove = el('button', { type: 'button', class: 'danger small', 'aria-label': `Delete blob ${blob.id}` }, 'Delete');
  remove.addEventListener('click', () => void removeBlob(blob.id));
  actions.append(remove);
  return el('tr', { 'data-blob-id': blob.id },
    el('td', { class: 'mono' }, show),
    el('td', {}, el('span', { class: `badge status-${blob.status.toLowerCase()}` }, statusText(blob.status))),
    el('td', {}, el('time', { datetime: blob.createdAt }, formatTime(blob.createdAt))),
    el('td', {}, top.length ? top.join(', ') : blob.error ? `${blob.error.code}` : '—'),
    el('td', { class: 'webhook' }, blob.callback
      ? `${statusText(blob.callback.status)}, ${blob.callback.attempts} attempt${blob.callback.attempts === 1 ? '' : 's'}`
      : '—'),
    actions);
}

/**
 * Runs one action of the recent list for the current user; its error goes in the list's error card.
 * @param {(api: Connection) => Promise<string>} action returns what to say when it succeeded
 */
async function recentAction(action) {
  if (!connection) return;
  const asked = epoch;
  showErrorCard('recent-error', null);
  try {
    const said = await action(connection);
    if (asked === epoch) $('recent-status').textContent = said;
  } catch (error) {
    if (asked === epoch) showErrorCard('recent-error', error);
  }
}

/** @param {string} id */
async function showBlob(id) {
  const asked = epoch;
  try {
    const { blob } = await graphql(/** @type {Connection} */ (connection), GET_BLOB, { id });
    if (asked !== epoch) return;
    if (!blob) throw new ApiError('GraphQL', 'NotFound', `Blob ${id} no longer exists`);
    showError(blob.error ? new ApiError('Blob', blob.error.code, blob.error.message, { details: [retryText(blob.error)] }) : null);
    showResult(blob, null);
    $('result').scrollIntoView({ behavior: 'smooth', block: 'start' });
  } catch (error) {
    if (asked === epoch) showError(error);
  }
}

/** @param {string} id */
async function removeBlob(id) {
  if (!confirm(`Delete blob ${id}, its image and its labels?`)) return;
  await recentAction(async (api) => {
    const { deleteBlob } = await graphql(api, DELETE_BLOB, { id });
    await refreshRecent();
    return deleteBlob ? `Deleted blob ${id}.` : `Blob ${id} was already gone.`;
  });
}

/** @param {string} id */
async function redeliverWebhook(id) {
  await recentAction(async (api) => {
    const { redeliverCallback } = await graphql(api, REDELIVER_CALLBACK, { id });
    await refreshRecent();
    const callback = redeliverCallback?.callback;
    return callback ? `Webhook of blob ${id} sent again: ${statusText(callback.status).toLowerCase()}.` : `Blob ${id} is gone.`;
  });
}

// ---------------------------------------------------------------------------------------------
// Small helpers.

/** @template T @returns {{ promise: Promise<T>, resolve: (value: T) => void, reject: (error: unknown) => void }} */
function deferred() {
  /** @type {(value: T) => void} */
  let resolve = () => {};
  /** @type {(error: unknown) => void} */
  let reject = () => {};
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // a failure nobody awaits any more (the flow ended first) is not unhandled
  return { promise: /** @type {Promise<T>} */ (promise), resolve, reject };
}

/**
 * @template T
 * @param {Promise<T>} promise @param {number} ms @param {() => Promise<T>} onTimeout
 * @returns {Promise<T>}
 */
function withTimeout(promise, ms, onTimeout) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => onTimeout().then(resolve, reject), ms);
  });
  return /** @type {Promise<T>} */ (Promise.race([promise, timeout]).finally(() => clearTimeout(timer)));
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

async function init() {
  forgetApiKeys();
  $('auth-form').addEventListener('submit', (event) => submitAuth(/** @type {SubmitEvent} */ (event)));
  $('confirm-form').addEventListener('submit', (event) => submitCode(/** @type {SubmitEvent} */ (event)));
  $('resend-code').addEventListener('click', resendCode);
  $('sign-out').addEventListener('click', signOut);
  $('toggle-password').addEventListener('click', togglePasswordVisibility);
  wireFileInput();
  $('upload-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void startLabelling();
  });
  $('refresh').addEventListener('click', () => void refreshRecent());
  setAuthBusy(true);

  try {
    config = await loadClientConfig(new URL(location.href));
  } catch (error) {
    $('signed-out').hidden = false;
    setAuthStatus('The page cannot sign anyone in without its configuration.');
    showAuthError(error);
    return;
  }
  passwordRulesText = passwordRules(config.passwordPolicy);
  showConnection(config);
  pool = createUserPoolClient(config.userPool);
  session = createSession({ pool, storage: tabStorage(), storageKey: sessionKey(config), onChange: onSessionChange });
  connection = { graphqlUrl: config.graphqlUrl, realtimeUrl: config.realtimeUrl, auth: session };
  const user = session.restore();
  renderAccount(user);
  setAuthBusy(false);
  if (user) void refreshRecent();
}

function wireFileInput() {
  const input = /** @type {HTMLInputElement} */ ($('file'));
  const zone = $('drop-zone');
  input.addEventListener('change', () => chooseFile(input.files?.[0] ?? null));
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('dragging');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('dragging'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('dragging');
    chooseFile(event.dataTransfer?.files[0] ?? null);
  });
}

/** @param {File | null} file */
function chooseFile(file) {
  chosenFile = file;
  $('file-name').textContent = file ? `${file.name} · ${file.type || 'unknown type'} · ${formatBytes(file.size)}` : '';
  updateUploadButton();
}

function updateUploadButton() {
  /** @type {HTMLButtonElement} */ ($('upload-button')).disabled = !chosenFile || !session?.user() || labelling !== null;
}

/** Reads the options form: empty fields are left out, so the API applies its defaults. */
function readOptions() {
  const form = /** @type {HTMLFormElement} */ ($('upload-form'));
  const data = new FormData(form);
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

async function startLabelling() {
  if (!chosenFile || !connection || labelling) return;
  const run = new AbortController();
  labelling = run;
  updateUploadButton();
  try {
    await labelImage(chosenFile, readOptions(), run.signal);
  } catch (error) {
    // Signed out meanwhile: the page was cleared, and the error is about a user who is gone.
    if (run.signal.aborted) return;
    failCurrentStep();
    showError(error);
  } finally {
    if (labelling === run) labelling = null;
    updateUploadButton();
  }
}

void init();
