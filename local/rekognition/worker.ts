import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import { createDetector } from './detect.ts';
import { RekognitionError } from './errors.ts';
import type { JobRequest, WorkerMessage } from './protocol.ts';
import { lowerThisThreadPriority } from './thread-priority.ts';

/**
 * Worker thread entry: loads the model once, then labels one image at a time.
 * The pool sends a job only to an idle worker, so no queue lives here.
 */
const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');
const post = (message: WorkerMessage): void => port.postMessage(message);

// One libvips thread per worker: the pool already puts one worker on each core.
sharp.concurrency(1);
// Before the models load: the threads they start (onnxruntime's, libvips') inherit the priority.
lowerThisThreadPriority();

const started = performance.now();
try {
  const detector = await createDetector();
  port.on('message', async (job: JobRequest) => {
    try {
      const response = await detector.detectLabels(job.bytes, { ...job.options, minConfidence: job.minConfidence, maxLabels: job.maxLabels });
      post({ type: 'result', id: job.id, response });
    } catch (error) {
      const known = error instanceof RekognitionError;
      post({
        type: 'error',
        id: job.id,
        name: known ? error.name : 'InternalServerError',
        message: known ? error.message : 'Internal error while labelling the image',
      });
      if (!known) console.error('labeller worker:', error);
    }
  });
  post({ type: 'ready', loadMs: performance.now() - started });
} catch (error) {
  post({ type: 'fatal', message: error instanceof Error ? error.message : String(error) });
}
