// Finds a Chromium for the browser tests, or installs Debian's package, so that `npm test` needs no setup:
//  1. CHROMIUM_PATH, when set (it must exist);
//  2. a Chromium on the PATH (Debian's `chromium`, `chromium-browser`, Google Chrome) or one Playwright installed;
//  3. one this helper unpacked before (node_modules/.cache/chromium-deb);
//  4. with apt: as root, `apt-get install chromium` (as .ci/run does; unpacked as below if apt fails); as another
//     user, Debian's packages for Chromium and the libraries the machine lacks, fetched with `apt-get download` and
//     unpacked under node_modules/.cache/chromium-deb (no root, nothing installed system-wide; apt's package lists
//     are fetched into the cache when the machine has none).
// Without any of these it throws, saying what to install: a browser test never skips for want of a browser.
// Nothing is downloaded from anywhere but the machine's own Debian mirror.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CACHE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'chromium-deb');
const UNPACKED_BINARY = join('usr', 'lib', 'chromium', 'chromium');
const NAMES_ON_PATH = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];
const INSTALL_TIMEOUT_MS = 15 * 60_000;

export interface ChromiumLaunch {
  executablePath: string;
  /** Extra environment for the browser process (the unpacked libraries). */
  env: Record<string, string>;
  /** How it was found, for the test log. */
  source: string;
}

/** What the machine offers, gathered once; `chooseStrategy` decides from it alone. */
export interface Machine {
  chromiumPath: string | undefined;
  onPath: string | null;
  unpacked: string | null;
  hasApt: boolean;
  isRoot: boolean;
}

export type Strategy =
  | { kind: 'use'; executablePath: string; source: string; unpacked: boolean }
  | { kind: 'apt-install' }
  | { kind: 'unpack' }
  | { kind: 'none'; reason: string };

export function chooseStrategy(machine: Machine): Strategy {
  if (machine.chromiumPath !== undefined) {
    return { kind: 'use', executablePath: machine.chromiumPath, source: 'CHROMIUM_PATH', unpacked: false };
  }
  if (machine.onPath) return { kind: 'use', executablePath: machine.onPath, source: 'installed', unpacked: false };
  if (machine.unpacked) return { kind: 'use', executablePath: machine.unpacked, source: 'unpacked earlier', unpacked: true };
  if (machine.hasApt) return machine.isRoot ? { kind: 'apt-install' } : { kind: 'unpack' };
  return {
    kind: 'none',
    reason: 'no Chromium was found and this machine has no apt to install Debian\'s: install Chromium (or Google Chrome) ' +
      'and put it on the PATH, or set CHROMIUM_PATH to its binary',
  };
}

/** Package names of `apt-cache depends --recurse` output (virtual packages, in <>, left out). */
export function packagesOfDepends(output: string): string[] {
  return [...new Set(output.split('\n').filter((line) => /^[a-z0-9]/.test(line)).map((line) => line.trim()))];
}

/** Packages `dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n'` reports installed. */
export function installedOfQuery(output: string): Set<string> {
  return new Set(output.split('\n').flatMap((line) => {
    const match = /^([^\s:]+)(?::\S+)? ii/.exec(line);
    return match ? [match[1]] : [];
  }));
}

async function which(name: string): Promise<string | null> {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, name);
    if (dir && existsSync(candidate)) return candidate;
  }
  return null;
}

async function playwrightChromium(): Promise<string | null> {
  const root = process.env.PLAYWRIGHT_BROWSERS_PATH || join(homedir(), '.cache', 'ms-playwright');
  const entries = await readdir(root).catch(() => [] as string[]);
  for (const entry of entries.filter((name) => name.startsWith('chromium-')).sort().reverse()) {
    for (const binary of ['chrome-linux/chrome', 'chrome-linux64/chrome']) {
      if (existsSync(join(root, entry, binary))) return join(root, entry, binary);
    }
  }
  return null;
}

async function inspect(): Promise<Machine> {
  const onPath = (await Promise.all(NAMES_ON_PATH.map(which))).find((found) => found !== null) ?? (await playwrightChromium());
  const unpacked = join(CACHE_DIR, 'root', UNPACKED_BINARY);
  return {
    chromiumPath: process.env.CHROMIUM_PATH || undefined,
    onPath,
    unpacked: existsSync(unpacked) ? unpacked : null,
    hasApt: (await which('apt-get')) !== null && (await which('dpkg-deb')) !== null,
    isRoot: process.getuid?.() === 0,
  };
}

const TRIPLET = `${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`;

/** Where the unpacked libraries are (libpulse's own RUNPATH names the system's pulseaudio folder). */
export function libraryPath(root: string): string {
  return [
    join(root, 'usr', 'lib', 'chromium'),
    join(root, 'usr', 'lib', TRIPLET),
    join(root, 'usr', 'lib', TRIPLET, 'pulseaudio'),
    join(root, 'lib', TRIPLET),
    process.env.LD_LIBRARY_PATH ?? '',
  ].filter(Boolean).join(delimiter);
}

/** Fontconfig reads /etc/fonts, which a machine without fontconfig lacks: point it at the unpacked fonts too. */
async function writeFontsConf(root: string): Promise<string> {
  const file = join(CACHE_DIR, 'fonts.conf');
  await writeFile(file, [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
    '<fontconfig>',
    '  <dir>/usr/share/fonts</dir>',
    `  <dir>${join(root, 'usr', 'share', 'fonts')}</dir>`,
    `  <cachedir>${join(CACHE_DIR, 'fontconfig')}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n'));
  return file;
}

/** One installer at a time across test files (workers): a lock directory, waited for while another holds it. */
async function withLock<T>(work: () => Promise<T>): Promise<T> {
  await mkdir(CACHE_DIR, { recursive: true });
  const lock = join(CACHE_DIR, 'lock');
  const deadline = Date.now() + INSTALL_TIMEOUT_MS;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch {
      const age = Date.now() - (await stat(lock).then((info) => info.mtimeMs, () => Date.now()));
      if (age > INSTALL_TIMEOUT_MS) await rmdir(lock).catch(() => undefined); // left by a run that died
      if (Date.now() > deadline) throw new Error(`another test run has held ${lock} for too long`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
  try {
    return await work();
  } finally {
    await rmdir(lock).catch(() => undefined);
  }
}

async function aptInstall(): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () => run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env, maxBuffer: 64 * 1024 * 1024 });
  try {
    await install();
  } catch {
    // A fresh image has no package lists yet.
    await run('apt-get', ['update'], { env, maxBuffer: 64 * 1024 * 1024 });
    await install();
  }
}

/** Debian's Chromium and whatever libraries it needs that the machine lacks, unpacked under the cache. */
export async function unpackDebianChromium(): Promise<void> {
  const lists = join(CACHE_DIR, 'apt-lists');
  const debs = join(CACHE_DIR, 'debs');
  const root = join(CACHE_DIR, 'root');
  await rm(root, { recursive: true, force: true });
  await mkdir(debs, { recursive: true });
  let aptOptions: string[] = [];
  const depends = (options: string[]) => run('apt-cache', [...options, 'depends', '--recurse', '--no-recommends', '--no-suggests',
    '--no-conflicts', '--no-breaks', '--no-replaces', '--no-enhances', 'chromium'], { maxBuffer: 64 * 1024 * 1024 });
  let tree = await depends(aptOptions).catch(() => null);
  if (!tree || !packagesOfDepends(tree.stdout).includes('chromium')) {
    // No package lists on this machine, and no root to fetch them: fetch them into the cache.
    await mkdir(join(lists, 'partial'), { recursive: true });
    aptOptions = ['-o', `Dir::State::Lists=${lists}`, '-o', `Dir::Cache=${join(CACHE_DIR, 'apt-cache')}`, '-o', 'Debug::NoLocking=1'];
    await mkdir(join(CACHE_DIR, 'apt-cache', 'archives', 'partial'), { recursive: true });
    await run('apt-get', [...aptOptions, 'update'], { maxBuffer: 64 * 1024 * 1024 });
    tree = await depends(aptOptions);
  }
  const wanted = packagesOfDepends(tree.stdout);
  const query = await run('dpkg-query', ['-W', '-f=${Package} ${db:Status-Abbrev}\n', ...wanted], { maxBuffer: 64 * 1024 * 1024 })
    .catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const installed = installedOfQuery(query.stdout);
  const missing = wanted.filter((name) => !installed.has(name) || name === 'chromium' || name === 'chromium-common');
  await run('apt-get', [...aptOptions, 'download', ...missing], { cwd: debs, maxBuffer: 64 * 1024 * 1024 });
  for (const deb of (await readdir(debs)).filter((name) => name.endsWith('.deb'))) {
    await run('dpkg-deb', ['-x', join(debs, deb), root]);
  }
  await writeFontsConf(root);
  await rm(debs, { recursive: true, force: true });
}

let found: Promise<ChromiumLaunch> | null = null;

/** A Chromium to launch, found or installed once per test worker. */
export function chromiumForTests(): Promise<ChromiumLaunch> {
  found ??= (async () => {
    let strategy = chooseStrategy(await inspect());
    if (strategy.kind === 'apt-install' || strategy.kind === 'unpack') {
      const installing = strategy.kind;
      await withLock(async () => {
        // Another worker may have finished while this one waited.
        const again = chooseStrategy(await inspect());
        if (again.kind !== installing) return;
        process.stderr.write(`Chromium not found: ${installing === 'apt-install' ? 'apt-get install chromium' : `unpacking Debian's chromium under ${CACHE_DIR}`}…\n`);
        if (installing === 'unpack') {
          await unpackDebianChromium();
          return;
        }
        // apt may be busy (another install) or refuse: the unpacked package needs no system change.
        await aptInstall().catch(async (error: unknown) => {
          process.stderr.write(`apt-get install chromium failed (${String(error).split('\n')[0]}); unpacking it instead…\n`);
          await unpackDebianChromium();
        });
      });
      strategy = chooseStrategy(await inspect());
    }
    if (strategy.kind === 'none') throw new Error(`Browser tests need Chromium: ${strategy.reason}`);
    if (strategy.kind !== 'use') throw new Error(`Installing Chromium did not leave one to use (${strategy.kind})`);
    if (!existsSync(strategy.executablePath)) throw new Error(`${strategy.source} names ${strategy.executablePath}, which does not exist`);
    const env: Record<string, string> = strategy.unpacked
      ? { LD_LIBRARY_PATH: libraryPath(join(CACHE_DIR, 'root')), FONTCONFIG_FILE: join(CACHE_DIR, 'fonts.conf') }
      : {};
    return { executablePath: strategy.executablePath, env, source: strategy.source };
  })();
  return found;
}

/** Flags for a headless Chromium in a container (no sandbox: it may run as root). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
