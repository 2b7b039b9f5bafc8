import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Deadline, HandlerTimeout, instrument, originalColumn, TICK } from '../../../../local/appsync/runtime/handler-guard.ts';

/** Runs instrumented code in a fresh context whose tick counts its calls. */
function ticksOf(code: string): number {
  let ticks = 0;
  const context = vm.createContext({ [TICK]: () => { ticks += 1; } });
  vm.runInContext(instrument(code, 'x.js').code, context);
  return ticks;
}

describe('instrumenting resolver code', () => {
  it('ticks once per iteration of every kind of loop, braced or not', () => {
    expect(ticksOf('for (const x of [1, 2, 3]) { x; }')).toBe(3);
    expect(ticksOf('for (const k in { a: 1, b: 2 }) k;')).toBe(2);
    expect(ticksOf('for (let i = 0; i < 4; i++) {}')).toBe(4);
    expect(ticksOf('let i = 0; while (i < 5) i++;')).toBe(5);
    expect(ticksOf('let j = 0; do { j++; } while (j < 2);')).toBe(2);
  });

  it('ticks on entry to every function, arrow functions with an expression body included', () => {
    expect(ticksOf('function f() { return 1; } f(); f();')).toBe(2);
    expect(ticksOf('[1, 2, 3].map((x) => x * 2);')).toBe(3);
    expect(ticksOf('const o = { m() { return 1; } }; o.m();')).toBe(1);
    expect(ticksOf('const g = () => ({ a: 1 }); g();')).toBe(1);
  });

  it('keeps what the code computes', () => {
    const context = vm.createContext({ [TICK]: () => undefined });
    const code = 'const out = []; for (const x of [1, 2]) out.push(((y) => ({ y }))(x)); JSON.stringify(out)';
    expect(vm.runInContext(instrument(code, 'x.js').code, context)).toBe('[{"y":1},{"y":2}]');
  });

  it('maps a column of the instrumented code back to the column it had', () => {
    const code = 'for (const x of a) { x; }  boom();';
    const { code: out, insertions } = instrument(code, 'x.js');

    expect(originalColumn(insertions, 0, out.indexOf('boom'))).toBe(code.indexOf('boom'));
    expect(originalColumn(insertions, 0, out.indexOf('for'))).toBe(0);
  });

  it('keeps the vm timeout for code that can block inside one built-in call (a regular expression from a string)', () => {
    expect(instrument("export const f = (s) => s.match('(a+)+$');", 'x.js').guard).toBe('vm-timeout');
    expect(instrument('export const f = (s) => s.split(",");', 'x.js').guard).toBe('deadline');
  });
});

describe('the deadline', () => {
  it('lets a call within its time finish and stops one past it', () => {
    const deadline = new Deadline();
    expect(deadline.run(1000, () => { deadline.tick(); return 'done'; })).toBe('done');
    expect(() => deadline.run(0, () => {
      for (;;) deadline.tick();
    })).toThrow(HandlerTimeout);
  });

  it('does not stop a tick outside any call', () => {
    const deadline = new Deadline();
    deadline.run(0, () => 'quick');
    expect(() => deadline.tick()).not.toThrow();
  });
});
