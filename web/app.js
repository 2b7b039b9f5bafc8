// @ts-check
// Demo page of the image-labelling API. Plain browser module: no build step, no dependencies.
// Flow: createBlob (GraphQL over HTTP) → labelsReady subscription (AppSync realtime WebSocket)
// → PUT the bytes to the presigned URL → render the labels and their bounding boxes.

const API_KEY_STORAGE_PREFIX = 'image-labels.apiKey:';
const RESULT_TIMEOUT_MS = 120_000;
const SUBSCRIBE_TIMEOUT_MS = 15_000;
const DEFAULT_CONNECTION_TIMEOUT_MS = 300_000;
const FINAL_STATUSES = ['LABELLED', 'FAILED', 'REJECTED'];
const BOX_COLOURS = ['#d9480f', '#1971c2', '#2b8a3e', '#ae3ec9', '#e67700', '#0c8599', '#c2255c', '#5f3dc4'];

// Every Blob field: the processing function publishes them all, so a subscriber may select them all.
const BLOB_FIELDS = `
  id status contentType size minConfidence maxLabels
  labels {
    name confidence parents aliases categories
    instances { confidence boundingBox { left top width height } }
  }
  error { code message retryable }
  callback { url status attempts lastAttemptAt lastError deliveredAt }
  createdAt updatedAt uploadExpiresAt labelledAt`;

/** @type {Operation<{ createBlob: { blob: ApiBlob, upload: Upload } }>} */
const CREATE_BLOB = {
  query: `mutation CreateBlob($input: CreateBlobInput!) {
    createBlob(input: $input) {
      blob { ${BLOB_FIELDS} }
      upload { url method headers expiresAt }
    }
  }`,
};
/** @type {Operation<{ labelsReady: ApiBlob | null }>} */
const LABELS_READY = { query: `subscription LabelsReady($id: ID!) { labelsReady(id: $id) { ${BLOB_FIELDS} } }` };
/** @type {Operation<{ blob: ApiBlob | null }>} */
const GET_BLOB = { query: `query Blob($id: ID!) { blob(id: $id) { ${BLOB_FIELDS} } }` };
/** @type {Operation<{ blobs: { items: ApiBlob[], nextToken: string | null } }>} */
const LIST_BLOBS = { query: `query Blobs($limit: Int) { blobs(limit: $limit) { items { ${BLOB_FIELDS} } nextToken } }` };
/** @type {Operation<{ deleteBlob: { id: string, status: string } | null }>} */
const DELETE_BLOB = { query: `mutation DeleteBlob($id: ID!) { deleteBlob(id: $id) { id status } }` };

/**
 * @typedef {{ left: number, top: number, width: number, height: number }} BoundingBox
 * @typedef {{ confidence: number, boundingBox: BoundingBox }} LabelInstance
 * @typedef {{ name: string, confidence: number, parents: string[], aliases: string[], categories: string[],
 *   instances: LabelInstance[] }} Label
 * @typedef {{ code: string, message: string, retryable: boolean }} BlobError
 * @typedef {{ id: string, status: string, contentType: string | null, size: number | null,
 *   minConfidence: number, maxLabels: number, labels: Label[] | null, error: BlobError | null,
 *   callback: { url: string, status: string, attempts: number, lastError: string | null } | null,
 *   createdAt: string, updatedAt: string, uploadExpiresAt: string, labelledAt: string | null }} ApiBlob
 * @typedef {{ url: string, method: string, headers: string | Record<string, string>, expiresAt: string }} Upload
 * @typedef {{ endpoint: string, apiKey: string }} Settings
 * @typedef {{ connectionTimeoutMs?: number, errors?: GraphQLError[] }} RealtimePayload
 * @typedef {{ message: string, errorType?: string, errorInfo?: unknown }} GraphQLError
 */
/**
 * A GraphQL document and, as a type only, the shape of its `data`.
 * @template T
 * @typedef {{ query: string, data?: T }} Operation
 */
/**
 * A message of AppSync's realtime protocol (connection_ack, ka, start_ack, data, error, complete).
 * @template T
 * @typedef {{ type: string, id?: string, payload?: RealtimePayload & { data?: T } }} RealtimeMessage
 */

/** A failure with a stable type, from GraphQL, the realtime socket, the upload, or the blob itself. */
class ApiError extends Error {
  /**
   * @param {string} source where it failed: GraphQL, Realtime, Upload, Blob, Page
   * @param {string} type stable type: errorType, S3 error code or BlobError code
   * @param {string} message
   * @param {string[]} [details]
   */
  constructor(source, type, message, details = []) {
    super(message);
    this.name = 'ApiError';
    this.source = source;
    this.type = type;
    this.details = details;
  }
}

// ---------------------------------------------------------------------------------------------
// Settings: endpoint (same origin, or ?endpoint=) and API key (?apiKey=, else local storage).

/** @returns {Settings} */
function readSettings() {
  const params = new URLSearchParams(location.search);
  const endpoint = params.get('endpoint') ?? defaultEndpoint();
  const fromUrl = params.get('apiKey');
  if (fromUrl) {
    saveApiKey(endpoint, fromUrl);
    // Keep the key out of the address bar, bookmarks and screenshots once it is stored.
    params.delete('apiKey');
    const query = params.toString();
    history.replaceState(null, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
  }
  return { endpoint, apiKey: fromUrl ?? loadApiKey(endpoint) };
}

function defaultEndpoint() {
  return location.protocol === 'http:' || location.protocol === 'https:' ? new URL('/graphql', location.origin).href : '';
}

/** @param {string} endpoint */
function loadApiKey(endpoint) {
  try {
    return localStorage.getItem(API_KEY_STORAGE_PREFIX + endpoint) ?? '';
  } catch {
    return '';
  }
}

/** @param {string} endpoint @param {string} apiKey */
function saveApiKey(endpoint, apiKey) {
  try {
    localStorage.setItem(API_KEY_STORAGE_PREFIX + endpoint, apiKey);
  } catch {
    // Storage may be disabled (private mode): the key then lives in the form for this visit only.
  }
}

/**
 * AppSync's realtime URL: the appsync-realtime-api host for the default domain, `/graphql/realtime` otherwise
 * (custom domains and the local cloud).
 * @param {string} graphqlUrl
 */
function deriveRealtimeUrl(graphqlUrl) {
  const url = new URL(graphqlUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  if (/\.appsync-api\.[^.]+\.amazonaws\.com$/.test(url.hostname)) {
    url.hostname = url.hostname.replace('.appsync-api.', '.appsync-realtime-api.');
  } else {
    url.pathname = `${url.pathname.replace(/\/$/, '')}/realtime`;
  }
  url.search = '';
  return url.href;
}

// ---------------------------------------------------------------------------------------------
// API: GraphQL over HTTP, realtime subscription, presigned upload.

/**
 * POSTs one GraphQL operation with the API key; returns `data` or throws the response's first typed error.
 * @template T
 * @param {Settings} settings
 * @param {Operation<T>} operation
 * @param {Record<string, unknown>} [variables]
 * @returns {Promise<T>}
 */
async function graphql(settings, operation, variables = {}) {
  let response;
  try {
    response = await fetch(settings.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': settings.apiKey },
      body: JSON.stringify({ query: operation.query, variables }),
    });
  } catch (cause) {
    throw new ApiError('GraphQL', 'NetworkError', `Cannot reach ${settings.endpoint}: ${errorMessage(cause)}`);
  }
  /** @type {{ data?: T | null, errors?: GraphQLError[] } | null} */
  const body = await response.json().catch(() => null);
  if (body?.errors?.length) throw graphqlError(body.errors);
  if (!response.ok || !body?.data) {
    throw new ApiError('GraphQL', `HTTP ${response.status}`, response.statusText || 'Unexpected response');
  }
  return body.data;
}

/** @param {GraphQLError[]} errors */
function graphqlError(errors) {
  const [first, ...rest] = errors;
  const details = [];
  const info = /** @type {{ field?: string } | undefined} */ (first.errorInfo);
  if (info && typeof info === 'object' && info.field) details.push(`field: ${info.field}`);
  for (const other of rest) details.push(`${other.errorType ?? 'Error'}: ${other.message}`);
  return new ApiError('GraphQL', first.errorType ?? 'Error', first.message, details);
}

/**
 * The `host` + `x-api-key` object AppSync expects in the connection URL and in every `start` message.
 * @param {Settings} settings
 */
function authorization(settings) {
  return { host: new URL(settings.endpoint).host, 'x-api-key': settings.apiKey };
}

/**
 * Opens AppSync's realtime WebSocket and starts one subscription. Resolves once the server acknowledged it
 * (`start_ack`), so that nothing published afterwards is missed; `onData` then receives each `data` payload and
 * `onError` a failure of the subscription or of the connection. Returns a function that stops and closes.
 * @template T
 * @param {Settings} settings
 * @param {Operation<T>} operation
 * @param {Record<string, unknown>} variables
 * @param {{ onData: (data: T) => void, onError: (error: ApiError) => void }} handlers
 * @returns {Promise<() => void>}
 */
function subscribe(settings, operation, variables, handlers) {
  const auth = authorization(settings);
  const url = new URL(deriveRealtimeUrl(settings.endpoint));
  url.searchParams.set('header', btoa(JSON.stringify(auth)));
  url.searchParams.set('payload', btoa('{}'));
  const id = crypto.randomUUID();

  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-ws');
    let acknowledged = false;
    let closed = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let keepAliveTimer;
    const startTimer = setTimeout(
      () => fail(new ApiError('Realtime', 'Timeout', `No start_ack within ${SUBSCRIBE_TIMEOUT_MS / 1000} s`)),
      SUBSCRIBE_TIMEOUT_MS,
    );

    const close = () => {
      if (closed) return;
      closed = true;
      clearTimeout(startTimer);
      clearTimeout(keepAliveTimer);
      if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'stop', id }));
      socket.close(1000);
    };
    /** @param {ApiError} error */
    const fail = (error) => {
      if (closed) return;
      close();
      if (acknowledged) handlers.onError(error);
      else reject(error);
    };
    /** @param {number} timeoutMs */
    const expectKeepAlive = (timeoutMs) => {
      clearTimeout(keepAliveTimer);
      keepAliveTimer = setTimeout(
        () => fail(new ApiError('Realtime', 'ConnectionTimeout', 'The server stopped sending keep-alive messages')),
        timeoutMs,
      );
    };
    let connectionTimeoutMs = DEFAULT_CONNECTION_TIMEOUT_MS;

    socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'connection_init' })));
    socket.addEventListener('error', () => fail(new ApiError('Realtime', 'NetworkError', `Cannot connect to ${url.origin}${url.pathname}`)));
    socket.addEventListener('close', (event) => {
      if (!closed) fail(new ApiError('Realtime', 'ConnectionClosed', `The connection closed (code ${event.code}${event.reason ? `: ${event.reason}` : ''})`));
    });
    socket.addEventListener('message', (event) => {
      /** @type {RealtimeMessage<T>} */
      const message = JSON.parse(String(event.data));
      switch (message.type) {
        case 'connection_ack':
          connectionTimeoutMs = message.payload?.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS;
          expectKeepAlive(connectionTimeoutMs);
          socket.send(JSON.stringify({
            id,
            type: 'start',
            payload: { data: JSON.stringify({ query: operation.query, variables }), extensions: { authorization: auth } },
          }));
          break;
        case 'ka':
          expectKeepAlive(connectionTimeoutMs);
          break;
        case 'start_ack':
          if (message.id !== id) break;
          acknowledged = true;
          clearTimeout(startTimer);
          resolve(close);
          break;
        case 'data':
          if (message.id === id && message.payload?.data) handlers.onData(message.payload.data);
          break;
        case 'connection_error':
        case 'error':
          if (message.id === undefined || message.id === id) fail(realtimeError(message.payload));
          break;
        case 'complete':
          if (message.id === id) close();
          break;
        default:
          break;
      }
    });
  });
}

/** @param {{ errors?: GraphQLError[] } | undefined} payload */
function realtimeError(payload) {
  const errors = payload?.errors ?? [];
  if (!errors.length) return new ApiError('Realtime', 'Error', 'The subscription was refused');
  const error = graphqlError(errors);
  error.source = 'Realtime';
  return error;
}

/**
 * PUTs the file to the presigned URL with the headers createBlob returned, reporting progress (0..1).
 * XMLHttpRequest, not fetch, because only it reports upload progress.
 * @param {Upload} upload
 * @param {File} file
 * @param {(fraction: number) => void} onProgress
 * @returns {Promise<void>}
 */
function upload(upload, file, onProgress) {
  const headers = typeof upload.headers === 'string' ? JSON.parse(upload.headers) : upload.headers;
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(upload.method, upload.url);
    for (const [name, value] of Object.entries(headers ?? {})) {
      // The browser sets these itself (and refuses to let pages set them): it sends the file's real length.
      if (['content-length', 'host'].includes(name.toLowerCase())) continue;
      request.setRequestHeader(name, String(value));
    }
    request.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener('load', () => {
      if (request.status >= 200 && request.status < 300) {
        onProgress(1);
        resolve();
      } else {
        reject(storageError(request.status, request.responseText));
      }
    });
    request.addEventListener('error', () => reject(new ApiError(
      'Upload', 'NetworkError', 'The upload did not reach storage (network failure, or the storage endpoint does not allow this origin)',
    )));
    request.send(file);
  });
}

/**
 * S3 answers errors as XML: `<Error><Code>SignatureDoesNotMatch</Code><Message>…</Message></Error>`.
 * @param {number} status
 * @param {string} text
 */
function storageError(status, text) {
  const xml = new DOMParser().parseFromString(text || '<Error/>', 'application/xml');
  const code = xml.querySelector('Error > Code')?.textContent;
  const message = xml.querySelector('Error > Message')?.textContent;
  return new ApiError('Upload', code || `HTTP ${status}`, message || `Storage answered HTTP ${status}`);
}

// ---------------------------------------------------------------------------------------------
// The labelling flow.

/**
 * @param {Settings} settings
 * @param {File} file
 * @param {{ minConfidence?: number, maxLabels?: number, callbackUrl?: string }} options
 */
async function labelImage(settings, file, options) {
  showError(null);
  showResult(null, file);
  setStep('creating');
  const { createBlob } = await graphql(settings, CREATE_BLOB, {
    input: { contentType: file.type || 'application/octet-stream', contentLength: file.size, ...options },
  });
  /** @type {ApiBlob} */
  const created = createBlob.blob;
  setStatus(`Blob ${created.id} created; upload URL valid until ${formatTime(createBlob.upload.expiresAt)}.`);

  setStep('subscribing');
  /** @type {ReturnType<typeof deferred<ApiBlob>>} */
  const result = deferred();
  const stop = await subscribe(settings, LABELS_READY, { id: created.id }, {
    onData: (data) => {
      if (data.labelsReady) result.resolve(data.labelsReady);
    },
    onError: (error) => result.reject(error),
  });

  try {
    setStep('uploading');
    await upload(createBlob.upload, file, setUploadProgress);
    setStep('processing');
    setStatus(`Uploaded ${formatBytes(file.size)}; waiting for labelsReady…`);
    /** @type {ApiBlob} */
    const blob = await withTimeout(result.promise, RESULT_TIMEOUT_MS, () => fallbackRead(settings, created.id));
    finishWith(blob, file);
  } finally {
    stop();
  }
}

/**
 * When no event came in time, reads the blob once so the page says where it stands.
 * @param {Settings} settings @param {string} id
 */
async function fallbackRead(settings, id) {
  const { blob } = await graphql(settings, GET_BLOB, { id });
  if (blob && FINAL_STATUSES.includes(blob.status)) return blob;
  throw new ApiError('Realtime', 'Timeout',
    `No labelsReady event within ${RESULT_TIMEOUT_MS / 1000} s; the blob is ${blob ? blob.status : 'gone'}`);
}

/** @param {ApiBlob} blob @param {File | null} file */
function finishWith(blob, file) {
  setStep('done', blob.status === 'LABELLED' ? 'done' : 'failed', statusText(blob.status));
  setStatus(`Blob ${blob.id} is ${blob.status}.`);
  if (blob.error) showError(new ApiError('Blob', blob.error.code, blob.error.message, [retryText(blob.error)]));
  showResult(blob, file);
  void refreshRecent();
}

// ---------------------------------------------------------------------------------------------
// Rendering.

/** @param {string} id @returns {HTMLElement} */
function $(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element;
}

/**
 * Creates an element; text children become text nodes (data is never parsed as HTML).
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {...(Node | string | null | undefined)} children
 */
function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  for (const child of children) if (child != null) element.append(child);
  return element;
}

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
  const box = $('error');
  box.replaceChildren();
  if (!error) {
    box.hidden = true;
    return;
  }
  const apiError = error instanceof ApiError ? error : new ApiError('Page', 'Error', errorMessage(error));
  box.append(
    el('p', { class: 'error-title' },
      el('span', { class: 'error-source' }, apiError.source), ' ',
      el('code', { class: 'error-type', 'data-testid': 'error-type' }, apiError.type)),
    el('p', { class: 'error-message' }, apiError.message),
  );
  if (apiError.details.length) box.append(el('ul', { class: 'error-details' }, ...apiError.details.map((d) => el('li', {}, d))));
  box.hidden = false;
}

/**
 * Shows the blob's labels, and the image with its boxes when the file is at hand.
 * @param {ApiBlob | null} blob
 * @param {File | null} file
 */
function showResult(blob, file) {
  const section = $('result');
  const image = /** @type {HTMLImageElement} */ ($('preview'));
  if (image.src.startsWith('blob:')) URL.revokeObjectURL(image.src);
  $('boxes').replaceChildren();
  $('labels').replaceChildren();
  if (!blob) {
    section.hidden = true;
    return;
  }
  const labels = blob.labels ?? [];
  const colours = colourByLabel(labels);
  $('result-meta').textContent = [
    `Blob ${blob.id}`, blob.status, blob.contentType, blob.size != null ? formatBytes(blob.size) : null,
    `min confidence ${blob.minConfidence}`, `max labels ${blob.maxLabels}`,
    blob.callback ? `callback ${blob.callback.status.toLowerCase()} (${blob.callback.attempts} attempts)` : null,
  ].filter(Boolean).join(' · ');

  $('preview-frame').hidden = !file;
  if (file) {
    image.src = URL.createObjectURL(file);
    image.alt = `The uploaded image, ${file.name}`;
    const boxes = countBoxes(labels);
    $('preview-caption').textContent = `${file.name}: ${boxes} bounding box${boxes === 1 ? '' : 'es'}`;
    drawBoxes(labels, colours);
  } else {
    image.removeAttribute('src');
    $('preview-caption').textContent = 'The image is not kept by this page: labels only.';
  }
  renderLabels(labels, colours, blob.status);
  section.hidden = false;
}

/** @param {Label[]} labels */
function colourByLabel(labels) {
  /** @type {Map<string, string>} */
  const colours = new Map();
  for (const label of labels) {
    if (label.instances.length) colours.set(label.name, BOX_COLOURS[colours.size % BOX_COLOURS.length]);
  }
  return colours;
}

/** @param {Label[]} labels */
function countBoxes(labels) {
  return labels.reduce((sum, label) => sum + label.instances.length, 0);
}

/**
 * Boxes are ratios of the image, so percentages of a frame that wraps the image exactly.
 * @param {Label[]} labels @param {Map<string, string>} colours
 */
function drawBoxes(labels, colours) {
  const layer = $('boxes');
  for (const label of labels) {
    for (const instance of label.instances) {
      const { left, top, width, height } = instance.boundingBox;
      // A box touching the top edge carries its tag inside, where it stays visible.
      const place = top < 0.06 ? 'box tag-inside' : 'box';
      const box = el('div', { class: place, 'data-label': label.name, 'aria-hidden': 'true' },
        el('span', { class: 'box-tag' }, `${label.name} ${formatPercent(instance.confidence)}`));
      box.style.left = `${clampRatio(left) * 100}%`;
      box.style.top = `${clampRatio(top) * 100}%`;
      box.style.width = `${clampRatio(width) * 100}%`;
      box.style.height = `${clampRatio(height) * 100}%`;
      box.style.setProperty('--colour', colours.get(label.name) ?? BOX_COLOURS[0]);
      layer.append(box);
    }
  }
}

/** @param {Label[]} labels @param {Map<string, string>} colours @param {string} status */
function renderLabels(labels, colours, status) {
  const list = $('labels');
  if (!labels.length) {
    list.append(el('li', { class: 'empty' }, status === 'LABELLED' ? 'No label reached the minimum confidence.' : 'No labels.'));
    return;
  }
  for (const label of labels) list.append(renderLabel(label, colours.get(label.name)));
}

/** @param {Label} label @param {string | undefined} colour */
function renderLabel(label, colour) {
  const bar = el('span', { class: 'bar', 'aria-hidden': 'true' }, el('span', { class: 'bar-fill' }));
  /** @type {HTMLElement} */ (bar.firstChild).style.width = `${Math.max(0, Math.min(100, label.confidence))}%`;
  const item = el('li', { class: 'label', 'data-label': label.name },
    el('div', { class: 'label-head' },
      colour ? el('span', { class: 'swatch', 'aria-hidden': 'true' }) : null,
      el('span', { class: 'label-name' }, label.name),
      el('span', { class: 'label-confidence' }, formatPercent(label.confidence))),
    bar,
    facts(label));
  if (colour) {
    item.style.setProperty('--colour', colour);
    item.tabIndex = 0;
    item.addEventListener('mouseenter', () => highlight(label.name, true));
    item.addEventListener('mouseleave', () => highlight(label.name, false));
    item.addEventListener('focus', () => highlight(label.name, true));
    item.addEventListener('blur', () => highlight(label.name, false));
  }
  return item;
}

/** @param {Label} label */
function facts(label) {
  const list = el('dl', { class: 'facts' });
  /** @type {Array<[string, string[]]>} */
  const rows = [['Parents', label.parents], ['Categories', label.categories], ['Aliases', label.aliases]];
  for (const [term, values] of rows) {
    if (values.length) list.append(el('dt', {}, term), el('dd', {}, values.join(', ')));
  }
  if (label.instances.length) {
    const count = label.instances.length;
    list.append(el('dt', {}, 'Boxes'), el('dd', {}, `${count} instance${count === 1 ? '' : 's'}`));
  }
  return list;
}

/** @param {string} name @param {boolean} on */
function highlight(name, on) {
  for (const box of $('boxes').querySelectorAll('.box')) {
    box.classList.toggle('dimmed', on && /** @type {HTMLElement} */ (box).dataset.label !== name);
  }
}

// ---------------------------------------------------------------------------------------------
// Recent blobs.

/** @type {Settings} */
let settings = { endpoint: '', apiKey: '' };

async function refreshRecent() {
  const status = $('recent-status');
  if (!settings.apiKey || !settings.endpoint) {
    status.textContent = 'Enter the API key to list blobs.';
    return;
  }
  status.textContent = 'Loading…';
  try {
    const { blobs } = await graphql(settings, LIST_BLOBS, { limit: 10 });
    renderRecent(blobs.items);
    const count = blobs.items.length;
    status.textContent = count ? `${count} blob${count === 1 ? '' : 's'}, newest first` : 'No blobs yet.';
  } catch (error) {
    status.textContent = `Cannot list blobs: ${describe(error)}`;
  }
}

/** @param {ApiBlob[]} blobs */
function renderRecent(blobs) {
  const body = /** @type {HTMLTableElement} */ ($('recent')).tBodies[0];
  body.replaceChildren(...blobs.map(recentRow));
}

/** @param {ApiBlob} blob */
function recentRow(blob) {
  const top = (blob.labels ?? []).slice(0, 3).map((label) => `${label.name} ${formatPercent(label.confidence)}`);
  const show = el('button', { type: 'button', class: 'link', 'aria-label': `Show blob ${blob.id}` }, shortId(blob.id));
  show.title = blob.id;
  show.addEventListener('click', () => void showBlob(blob.id));
  const remove = el('button', { type: 'button', class: 'danger small', 'aria-label': `Delete blob ${blob.id}` }, 'Delete');
  remove.addEventListener('click', () => void removeBlob(blob.id));
  return el('tr', { 'data-blob-id': blob.id },
    el('td', { class: 'mono' }, show),
    el('td', {}, el('span', { class: `badge status-${blob.status.toLowerCase()}` }, statusText(blob.status))),
    el('td', {}, el('time', { datetime: blob.createdAt }, formatTime(blob.createdAt))),
    el('td', {}, top.length ? top.join(', ') : blob.error ? `${blob.error.code}` : '—'),
    el('td', { class: 'row-actions' }, remove));
}

/** @param {string} id */
async function showBlob(id) {
  try {
    const { blob } = await graphql(settings, GET_BLOB, { id });
    if (!blob) throw new ApiError('GraphQL', 'NotFound', `Blob ${id} no longer exists`);
    showError(blob.error ? new ApiError('Blob', blob.error.code, blob.error.message, [retryText(blob.error)]) : null);
    showResult(blob, null);
    $('result').scrollIntoView({ behavior: 'smooth', block: 'start' });
  } catch (error) {
    showError(error);
  }
}

/** @param {string} id */
async function removeBlob(id) {
  if (!confirm(`Delete blob ${id}, its image and its labels?`)) return;
  const status = $('recent-status');
  try {
    const { deleteBlob } = await graphql(settings, DELETE_BLOB, { id });
    await refreshRecent();
    status.textContent = deleteBlob ? `Deleted blob ${id}.` : `Blob ${id} was already gone.`;
  } catch (error) {
    status.textContent = `Cannot delete blob ${id}: ${describe(error)}`;
  }
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

/** @param {unknown} error */
function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}

/** @param {unknown} error */
function describe(error) {
  return error instanceof ApiError ? `${error.type}: ${error.message}` : errorMessage(error);
}

/** @param {BlobError} error */
function retryText(error) {
  return error.retryable ? 'retryable: uploading the same image later may succeed' : 'not retryable';
}

/** @param {string} status */
function statusText(status) {
  return status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, ' ');
}

/** @param {number} value 0..100 */
function formatPercent(value) {
  return `${value.toFixed(1)}%`;
}

/** @param {number} bytes */
function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** @param {string} iso */
function formatTime(iso) {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** @param {string} id */
function shortId(id) {
  return id.length > 12 ? `${id.slice(0, 6)}…${id.slice(-4)}` : id;
}

/** @param {number} ratio */
function clampRatio(ratio) {
  return Math.max(0, Math.min(1, ratio));
}

// ---------------------------------------------------------------------------------------------
// Wiring.

/** @type {File | null} */
let chosenFile = null;

function init() {
  settings = readSettings();
  const endpointInput = /** @type {HTMLInputElement} */ ($('endpoint'));
  const keyInput = /** @type {HTMLInputElement} */ ($('api-key'));
  endpointInput.value = settings.endpoint;
  keyInput.value = settings.apiKey;
  showRealtimeEndpoint();

  endpointInput.addEventListener('input', showRealtimeEndpoint);
  $('connection-form').addEventListener('submit', (event) => {
    event.preventDefault();
    saveConnection();
  });
  $('toggle-key').addEventListener('click', toggleKeyVisibility);
  wireFileInput();
  $('upload-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void startLabelling();
  });
  $('refresh').addEventListener('click', () => void refreshRecent());
  updateUploadButton();
  void refreshRecent();
}

function showRealtimeEndpoint() {
  const value = /** @type {HTMLInputElement} */ ($('endpoint')).value;
  let realtime = '';
  try {
    realtime = value ? deriveRealtimeUrl(value) : '';
  } catch {
    realtime = 'not a valid URL';
  }
  $('realtime-endpoint').textContent = realtime;
}

function saveConnection() {
  const endpoint = /** @type {HTMLInputElement} */ ($('endpoint')).value.trim();
  const apiKey = /** @type {HTMLInputElement} */ ($('api-key')).value.trim();
  const status = $('connection-status');
  if (!URL.canParse(endpoint)) {
    status.textContent = 'The endpoint is not a valid URL.';
    return;
  }
  settings = { endpoint, apiKey };
  saveApiKey(endpoint, apiKey);
  status.textContent = 'Saved.';
  updateUploadButton();
  void refreshRecent();
}

function toggleKeyVisibility() {
  const input = /** @type {HTMLInputElement} */ ($('api-key'));
  const button = $('toggle-key');
  const show = input.type === 'password';
  input.type = show ? 'text' : 'password';
  button.textContent = show ? 'Hide' : 'Show';
  button.setAttribute('aria-pressed', String(show));
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
  /** @type {HTMLButtonElement} */ ($('upload-button')).disabled = !chosenFile || !settings.apiKey || !settings.endpoint;
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
  if (!chosenFile) return;
  const button = /** @type {HTMLButtonElement} */ ($('upload-button'));
  button.disabled = true;
  try {
    await labelImage(settings, chosenFile, readOptions());
  } catch (error) {
    failCurrentStep();
    showError(error);
  } finally {
    updateUploadButton();
  }
}

init();
