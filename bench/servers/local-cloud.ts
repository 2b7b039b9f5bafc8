// The local cloud under measurement, in a process of its own (bench/support/child-server.ts): a fresh data
// directory, free ports, and the log stream of `npm start` (info level, JSON lines on stdout, which the parent
// reads and drops). Sends its endpoints to the parent once GraphQL answers, and each `labels detected` line of the
// local Rekognition as an event (bench/uploads.ts takes each upload's own inference time from it).
// Usage (from a benchmark): spawnServer('bench/servers/local-cloud.ts', { args: ['--labeller-workers', '2', '--upload-quota', '100000'] })
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalCloud } from '../../local/cloud.ts';
import { FREE_PORTS } from '../../local/config.ts';
import { createLogStream } from '../../local/log.ts';
import { defaultWorkerCount } from '../../local/rekognition/worker-count.ts';
import { failToParent, sendEvent, serveParent } from '../support/child-server.ts';

export interface LocalCloudInfo {
  graphqlUrl: string;
  realtimeUrl: string;
  region: string;
  userPool: { id: string; clientId: string; endpoint: string; issuer: string };
  dynamodbEndpoint: string;
  rekognitionEndpoint: string;
  table: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  maxConcurrency: number;
  labellerWorkers: number;
  /** The processing function's credentials: it alone may call publishBlobResult. */
  publisherCredentials: { accessKeyId: string; secretAccessKey: string };
}

const { values } = parseArgs({ options: { 'labeller-workers': { type: 'string' }, 'upload-quota': { type: 'string', default: '100000' } } });

export interface LabelledEvent {
  type: 'labelled';
  /** bucket/key of the image. */
  s3Object: string;
  labelMs: number;
}

function reportLabelling(text: string): boolean {
  if (text.includes('"labels detected"')) {
    const line = JSON.parse(text) as { message?: string; s3Object?: string | null; labelMs?: number };
    if (line.message === 'labels detected' && line.s3Object && line.labelMs !== undefined) {
      sendEvent({ type: 'labelled', s3Object: line.s3Object, labelMs: line.labelMs } satisfies LabelledEvent);
    }
  }
  return process.stdout.write(text);
}

try {
  const labellerWorkers = values['labeller-workers'] === undefined ? defaultWorkerCount() : Number(values['labeller-workers']);
  const dataDir = await mkdtemp(join(tmpdir(), 'image-labels-bench-'));
  const cloud = await startLocalCloud({
    dataDir,
    ports: FREE_PORTS,
    logStream: createLogStream({ format: 'json', level: 'info', out: { write: reportLabelling } }),
    labellerWorkers,
    uploadQuotaPerDay: Number(values['upload-quota']),
  });
  const info: LocalCloudInfo = {
    graphqlUrl: cloud.graphqlUrl,
    realtimeUrl: cloud.realtimeUrl,
    region: cloud.region,
    userPool: cloud.userPool,
    dynamodbEndpoint: cloud.dynamodbEndpoint,
    rekognitionEndpoint: cloud.rekognitionEndpoint,
    table: cloud.table,
    credentials: cloud.credentials,
    maxConcurrency: cloud.maxConcurrency,
    labellerWorkers,
    publisherCredentials: cloud.functionCredentials('process-upload'),
  };
  serveParent(info, async () => {
    await cloud.close();
    await rm(dataDir, { recursive: true, force: true });
  });
} catch (error) {
  failToParent(error);
}
