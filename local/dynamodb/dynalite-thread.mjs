// Worker thread entry: one dynalite server (DynamoDB's JSON protocol on LevelDB), listening on the host and port
// the parent gives, and answering the same requests over a MessagePort (workerData.requests) without a socket: each
// goes through dynalite's own request handler (JSON parsing, type checks, validations, actions), so both ways share
// one DynamoDB. Plain JavaScript, so that it starts under tsx, vitest and plain node alike.
import { EventEmitter } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

const port = parentPort;
if (!port) throw new Error('dynalite-thread.mjs runs in a worker thread');
const server = dynalite(workerData.options);
server.once('error', (/** @type {NodeJS.ErrnoException} */ error) => port.postMessage({ type: 'error', message: error.message, code: error.code }));
// No port (null): reachable over the MessagePort only, so nothing on the machine can skip the front's signature check.
if (workerData.port === null) {
  port.postMessage({ type: 'listening', port: null });
} else {
  server.listen(workerData.port, workerData.host, () => {
    const address = server.address();
    port.postMessage({ type: 'listening', port: typeof address === 'object' && address ? address.port : workerData.port });
  });
}
port.on('message', (message) => {
  if (message.type !== 'close') return;
  server.close(() => port.postMessage({ type: 'closed' }));
  server.closeAllConnections?.();
});

// dynalite checks only the shape of the Authorization header (whoever sends here was authorized by the parent).
const INTERNAL_AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=internal/20000101/local/dynamodb/aws4_request, SignedHeaders=host, Signature=internal';
const handleRequest = /** @type {(req: unknown, res: unknown) => void} */ (server.listeners('request')[0]);

/** @type {import('node:worker_threads').MessagePort} */
const requests = workerData.requests;
/** @type {Array<{ id: number, status: number, requestId: string, crc32: string, body: string }>} */
let answers = [];
function sendAnswers() {
  const batch = answers;
  answers = [];
  requests.postMessage(batch);
}

// Requests come in batches (those the parent made in one turn of its event loop); answers go back the same way.
requests.on('message', (/** @type {Array<{ id: number, target: string, body: string }>} */ batch) => {
  for (const message of batch) handle(message);
});

function handle(/** @type {{ id: number, target: string, body: string }} */ message) {
  const req = Object.assign(new EventEmitter(), {
    method: 'POST',
    url: '/',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': message.target,
      'x-amz-date': '20000101T000000Z',
      authorization: INTERNAL_AUTHORIZATION,
    },
  });
  let requestId = '';
  let crc32 = '';
  const res = {
    statusCode: 200,
    contentType: '',
    setHeader(/** @type {string} */ name, /** @type {unknown} */ value) {
      const lower = name.toLowerCase();
      if (lower === 'x-amzn-requestid') requestId = String(value);
      if (lower === 'x-amz-crc32') crc32 = String(value);
    },
    end(/** @type {string | undefined} */ body) {
      if (answers.length === 0) setImmediate(sendAnswers);
      answers.push({ id: message.id, status: res.statusCode, requestId, crc32, body: body ?? '' });
    },
  };
  handleRequest(req, res);
  req.emit('data', Buffer.from(message.body, 'utf8'));
  req.emit('end');
}
