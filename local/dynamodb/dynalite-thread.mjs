// Worker thread entry: one dynalite server (DynamoDB's JSON protocol on LevelDB), listening on the host and port
// the parent gives. Plain JavaScript, so that it starts under tsx, vitest and plain node alike.
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';

const port = parentPort;
if (!port) throw new Error('dynalite-thread.mjs runs in a worker thread');
const server = dynalite(workerData.options);
server.once('error', (/** @type {NodeJS.ErrnoException} */ error) => port.postMessage({ type: 'error', message: error.message, code: error.code }));
server.listen(workerData.port, workerData.host, () => {
  const address = server.address();
  port.postMessage({ type: 'listening', port: typeof address === 'object' && address ? address.port : workerData.port });
});
port.on('message', (message) => {
  if (message.type !== 'close') return;
  server.close(() => port.postMessage({ type: 'closed' }));
  server.closeAllConnections?.();
});
