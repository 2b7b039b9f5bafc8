// How the browser tests get a Chromium: the decision from what the machine offers, and apt's answers read.
import { describe, expect, it } from 'vitest';
import { chooseStrategy, installedOfQuery, packagesOfDepends, type Machine } from './support/chromium.ts';

const bare: Machine = { chromiumPath: undefined, onPath: null, unpacked: null, hasApt: false, isRoot: false };

describe('finding Chromium for the browser tests', () => {
  it.each([
    ['CHROMIUM_PATH first, even over an installed one', { ...bare, chromiumPath: '/opt/c/chrome', onPath: '/usr/bin/chromium' }, { kind: 'use', executablePath: '/opt/c/chrome' }],
    ['an installed Chromium before an unpacked one', { ...bare, onPath: '/usr/bin/chromium', unpacked: '/cache/chromium' }, { kind: 'use', executablePath: '/usr/bin/chromium', unpacked: false }],
    ['the one unpacked before, with no apt needed', { ...bare, unpacked: '/cache/chromium' }, { kind: 'use', unpacked: true }],
    ["root with apt: Debian's package, installed", { ...bare, hasApt: true, isRoot: true }, { kind: 'apt-install' }],
    ["another user with apt: Debian's package, unpacked without root", { ...bare, hasApt: true }, { kind: 'unpack' }],
  ] as Array<[string, Machine, object]>)('takes %s', (_case, machine, expected) => {
    expect(chooseStrategy(machine)).toMatchObject(expected);
  });

  it('fails, saying what to install, rather than skipping, on a machine with neither Chromium nor apt', () => {
    const strategy = chooseStrategy(bare);

    expect(strategy).toMatchObject({ kind: 'none' });
    expect(strategy.kind === 'none' && strategy.reason).toContain('CHROMIUM_PATH');
  });

  it("reads package names from apt-cache's dependency tree, leaving virtual packages out", () => {
    const output = ['chromium', '  Depends: libasound2', '  Depends: <libgl1>', 'libasound2', '  Depends: libc6', '<libgl1>', 'libc6', ''].join('\n');

    expect(packagesOfDepends(output)).toEqual(['chromium', 'libasound2', 'libc6']);
  });

  it("reads which packages dpkg says are installed", () => {
    const output = ['libc6 ii ', 'libasound2:amd64 ii ', 'chromium rc ', 'libgbm1 un ', ''].join('\n');

    expect([...installedOfQuery(output)]).toEqual(['libc6', 'libasound2']);
  });
});
