// Reads a V8 .cpuprofile (node --cpu-prof) and tells where the time went: self time per function and per
// package or source folder, as shares of all samples.
import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/@aws-sdk/client-s3/...` → `@aws-sdk/client-s3`; `.../local/appsync/x.ts` → `local/appsync`. */
function placeOf(url: string): string {
  if (url === '') return '(native)';
  const nodeModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url.slice(url.lastIndexOf('node_modules/')));
  if (nodeModules) return nodeModules[1];
  if (url.startsWith('node:')) return url;
  const project = /\/(local|functions|resolvers|domain|bench)\/(?:([^/]+)\/)?/.exec(url);
  if (project) return project[2] && !project[2].includes('.') ? `${project[1]}/${project[2]}` : project[1];
  return url.replace(/^file:\/\//, '');
}

export async function summariseProfile(file: string, top = 25): Promise<string> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMicros = new Map<number, number>();
  profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfMicros.values()].reduce((a, b) => a + b, 0);
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  for (const [id, micros] of selfMicros) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const place = placeOf(url);
    const name = `${functionName || '(anonymous)'} ${place}${url ? `:${lineNumber + 1}` : ''}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + micros);
    byPlace.set(place, (byPlace.get(place) ?? 0) + micros);
  }
  const lines = (map: Map<string, number>) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, micros]) => `${((100 * micros) / total).toFixed(1).padStart(5)} %  ${name}`);
  return [`total ${(total / 1e6).toFixed(1)} s of samples`, 'by function (self):', ...lines(byFunction), 'by place (self):', ...lines(byPlace)].join('\n');
}
