import { afterEach, describe, expect, it } from 'vitest';
import { fixtureRuntime, type FixtureRuntime } from './support/fixture-runtime.ts';

let fixture: FixtureRuntime | undefined;
afterEach(() => fixture?.close());

/** A runtime with one unit resolver; `checkCode: false` reaches the sandbox's own guards behind the code check. */
function unit(source: string, checkCode = true) {
  fixture = fixtureRuntime({
    modules: { 'Query.field': source },
    resolvers: [{ typeName: 'Query', fieldName: 'field', kind: 'UNIT', code: 'Query.field', dataSource: 'none' }],
    checkCode,
  });
  return fixture;
}

describe('the resolver sandbox', () => {
  it('has none of the Node or ES globals that APPSYNC_JS lacks', async () => {
    const f = unit(`
export function request() {
  return { payload: [typeof process, typeof require, typeof Buffer, typeof setTimeout, typeof Promise, typeof Proxy, typeof Intl, typeof fetch] };
}
export function response(ctx) { return ctx.result; }
`, false);

    const { data } = await f.resolve('Query', 'field');

    expect(data).toEqual(Array(8).fill('undefined'));
  });

  it('has util, runtime and extensions as globals too', async () => {
    const f = unit(`
export function request() { return { payload: [typeof util.autoId, typeof runtime.earlyReturn, typeof extensions.setSubscriptionFilter] }; }
export function response(ctx) { return ctx.result; }
`);

    expect((await f.resolve('Query', 'field')).data).toEqual(['function', 'function', 'function']);
  });

  it('runs resolver code in strict mode: an assignment to an undeclared name is a ReferenceError', async () => {
    const f = unit(`
export function request() { leaked = 1; return { payload: leaked }; }
export function response(ctx) { return ctx.result; }
`);

    const { errors } = await f.resolve('Query', 'field');

    expect(errors).toEqual([expect.objectContaining({ errorType: 'Code', message: expect.stringContaining('ReferenceError: leaked is not defined') })]);
  });

  it('answers "" for JSON.parse of text that is not JSON, as AppSync does, and parses JSON as usual', async () => {
    const f = unit(`
export function request() { return { payload: [JSON.parse('{oops'), JSON.parse('{"a":[1]}')] }; }
export function response(ctx) { return ctx.result; }
`);

    expect((await f.resolve('Query', 'field')).data).toEqual(['', { a: [1] }]);
  });

  it('refuses, when the runtime is created, code that AppSync refuses (new Function, Function.prototype.call)', () => {
    expect(() => unit(`
export function request() { return { payload: new Function('return 1')() }; }
export function response(ctx) { return ctx.result; }
`)).toThrow(/uses what APPSYNC_JS refuses:[\s\S]*new Function/);
    expect(() => unit(`
function add(a, b) { return a + b; }
export function request() { return { payload: add.call(null, 1, 2) }; }
export function response(ctx) { return ctx.result; }
`)).toThrow(/Function\.prototype\.call/);
  });

  it('refuses to evaluate code from strings even when the code check is off', async () => {
    const f = unit(`export function request() { return { payload: new Function('return 1')() }; }\nexport function response(ctx) { return ctx.result; }\n`, false);

    const { errors } = await f.resolve('Query', 'field');

    expect(errors).toEqual([expect.objectContaining({ errorType: 'Code', message: expect.stringContaining('EvalError') })]);
  });

  it('stops a handler that AppSync accepts but that never ends (a for-of over an array it keeps growing)', async () => {
    fixture = fixtureRuntime({
      modules: { 'Query.field': 'export function request() { const seen = [0]; for (const x of seen) { seen.push(x + 1); } return { payload: seen.length }; }\nexport function response(ctx) { return ctx.result; }\n' },
      resolvers: [{ typeName: 'Query', fieldName: 'field', kind: 'UNIT', code: 'Query.field', dataSource: 'none' }],
      handlerTimeoutMs: 100,
    });

    const { data, errors } = await fixture.resolve('Query', 'field');

    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ errorType: 'Code', message: 'Query.field.js: execution timed out after 100 ms' })]);
  });

  it('stops a handler stuck inside one built-in call (a catastrophic regular expression)', async () => {
    fixture = fixtureRuntime({
      modules: { 'Query.field': "export function request() { return { payload: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!'.match('^(a+)+$') }; }\nexport function response(ctx) { return ctx.result; }\n" },
      resolvers: [{ typeName: 'Query', fieldName: 'field', kind: 'UNIT', code: 'Query.field', dataSource: 'none' }],
      handlerTimeoutMs: 100,
    });

    const { errors } = await fixture.resolve('Query', 'field');

    expect(errors).toEqual([expect.objectContaining({ errorType: 'Code', message: expect.stringContaining('timed out') })]);
  });

  it('keeps answering once a runaway handler was stopped', async () => {
    fixture = fixtureRuntime({
      modules: {
        'Query.field': 'export function request(ctx) { const seen = [0]; if (ctx.args.loop) { for (const x of seen) { seen.push(x); } } return { payload: seen.length }; }\nexport function response(ctx) { return ctx.result; }\n',
      },
      resolvers: [{ typeName: 'Query', fieldName: 'field', kind: 'UNIT', code: 'Query.field', dataSource: 'none' }],
      handlerTimeoutMs: 50,
    });

    const stopped = await fixture.resolve('Query', 'field', { loop: true });
    const next = await fixture.resolve('Query', 'field', { loop: false });

    expect(stopped.errors).toHaveLength(1);
    expect(next).toEqual({ data: 1, errors: [] });
  });

  it('cannot switch its own guard off', async () => {
    const f = unit(`
export function request() { __appsync_tick__ = () => 0; return { payload: 1 }; }
export function response(ctx) { return ctx.result; }
`, false);

    const { errors } = await f.resolve('Query', 'field');

    expect(errors).toEqual([expect.objectContaining({ errorType: 'Code', message: expect.stringContaining('TypeError') })]);
  });

  it('places a Code error at its line and column in the source, loops before it on the same line notwithstanding', async () => {
    const f = unit(`export function request(ctx) { for (const x of [1]) { x; } return { payload: ctx.args.a.b }; }
export function response(ctx) { return ctx.result; }
`);

    const { errors } = await f.resolve('Query', 'field');

    const column = 'export function request(ctx) { for (const x of [1]) { x; } return { payload: ctx.args.a.b }; }'.indexOf('.b') + 1;
    expect(errors[0].message).toMatch(new RegExp(`Query\\.field\\.js:1:(${column}|${column + 1}): TypeError`));
  });

  it('cannot load a bundle that imports anything but @aws-appsync/utils', () => {
    const source = `import fs from 'node:fs';\nexport function request() { return fs; }\nexport function response() { return null; }\n`;

    expect(() => unit(source)).toThrow(/import of node:fs is not supported/);
    expect(() => unit(source, false)).toThrow(/Cannot find module 'node:fs'/);
  });

  it('provides the @aws-appsync/utils/dynamodb helpers', async () => {
    const f = unit(`
import { get } from '@aws-appsync/utils/dynamodb';
export function request() { return { payload: get({ key: { id: 'a' } }) }; }
export function response(ctx) { return ctx.result; }
`);

    expect((await f.resolve('Query', 'field')).data).toEqual({ operation: 'GetItem', key: { id: { S: 'a' } } });
  });
});
