// One upload at a time against an in-process local cloud at debug level: prints every log line between the end
// of the PUT and the labelsReady message, in ms after the PUT. For finding where the time after a PUT goes.
// Usage: npx tsx bench/trace-upload.ts [--uploads 5] [--image coffee.png]
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLocalCloud } from '../local/cloud.ts';
import { FREE_PORTS } from '../local/config.ts';
import { createLogStream } from '../local/log.ts';
import { signUp } from '../test/integration/support/users.ts';
import { ROOT } from './support/child-server.ts';
import { RealtimeConnection } from './support/realtime.ts';

const { values } = parseArgs({ options: { uploads: { type: 'string', default: '5' }, image: { type: 'string', default: 'coffee.png' } } });
const CREATE = 'mutation Create($input: CreateBlobInput!) { createBlob(input: $input) { blob { id } upload { url headers } } }';
const LABELS_READY = 'subscription Ready($id: ID!) { labelsReady(id: $id) { id status } }';

const lines: Array<{ at: number; text: string }> = [];
const dataDir = await mkdtemp(join(tmpdir(), 'image-labels-trace-'));
const cloud = await startLocalCloud({
  dataDir,
  ports: FREE_PORTS,
  logStream: createLogStream({ format: 'json', level: 'debug', out: { write: (text: string) => lines.push({ at: Date.now(), text }) } }),
});
const image = new Uint8Array(await readFile(join(ROOT, 'test', 'fixtures', 'images', values.image)));
const user = await signUp(cloud);
const connection = await RealtimeConnection.open(cloud.realtimeUrl, cloud.graphqlUrl, user.idToken);
try {
  for (let i = 0; i < Number(values.uploads); i += 1) {
    const response = await fetch(cloud.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: user.idToken },
      body: JSON.stringify({ query: CREATE, variables: { input: { contentType: 'image/png' } } }),
    });
    const { data } = (await response.json()) as { data: { createBlob: { blob: { id: string }; upload: { url: string; headers: string } } } };
    const subscription = await connection.subscribe(LABELS_READY, { id: data.createBlob.blob.id });
    lines.length = 0;
    const put = await fetch(data.createBlob.upload.url, { method: 'PUT', headers: JSON.parse(data.createBlob.upload.headers) as Record<string, string>, body: image });
    await put.text();
    const putEnd = Date.now();
    const putEndPerf = performance.now();
    const result = await subscription.data;
    console.log(`--- upload ${i}: labelsReady ${Math.round(result.at - putEndPerf)} ms after the PUT`);
    for (const { at, text } of lines) {
      const line = JSON.parse(text) as { time?: string; component?: string; message?: string; level?: string; [k: string]: unknown };
      const t = line.time ? Date.parse(line.time) : at;
      const { time: _t, component, message, level: _l, ...rest } = line;
      console.log(`${String(t - putEnd).padStart(5)} ${String(component).padEnd(24)} ${message} ${JSON.stringify(rest).slice(0, 160)}`);
    }
    connection.unsubscribe(subscription.id);
  }
} finally {
  connection.close();
  await cloud.close();
  await rm(dataDir, { recursive: true, force: true });
}
