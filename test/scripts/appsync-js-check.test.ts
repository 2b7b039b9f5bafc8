import { describe, expect, it } from 'vitest';
import { appsyncJsViolations } from '../../scripts/appsync-js-check.ts';

const module = (body: string, helpers = '') =>
  `import { util } from '@aws-appsync/utils';\n${helpers}\nexport function request(ctx) {\n${body}\n}\nexport function response(ctx) {\n  return ctx.result;\n}\n`;

const problems = (body: string, helpers = '') => appsyncJsViolations(module(body, helpers), 'code.js');

describe('the APPSYNC_JS code check (no type information)', () => {
  it.each([
    ['Function.prototype.call', 'return f.call(null, 1);', 'function f(x) { return x; }'],
    ['Function.prototype.apply', 'return f.apply(null, [1]);', 'function f(x) { return x; }'],
    ['Function.prototype.bind', 'return f.bind(null)(1);', 'function f(x) { return x; }'],
    ['Array.from', 'return Array.from([1]);', ''],
    ['Object.freeze', 'return Object.freeze({});', ''],
    ['the method padStart', 'return "1".padStart(2, "0");', ''],
    ['Array.prototype.values', 'return [1].values();', ''],
    ['sort with a comparator', 'return [2, 1].sort((a, b) => a - b);', ''],
    ['passing a function as an argument', 'return twice(inc, 1);', 'function inc(x) { return x + 1; }\nfunction twice(f, x) { return f(f(x)); }'],
    ['returning a function', 'return make()(1);', 'function make() { return (x) => x; }'],
    ['assigning a function to another name', 'const g = inc; return g(1);', 'function inc(x) { return x + 1; }'],
    ['recursion (fact -> fact)', 'return fact(3);', 'function fact(n) { return n <= 1 ? 1 : n * fact(n - 1); }'],
    ['recursion (even -> odd -> even)', 'return even(2);', 'function even(n) { return n === 0 || odd(n - 1); }\nconst odd = (n) => n !== 0 && even(n - 1);'],
    ['the global arguments', 'return arguments.length;', ''],
  ])('refuses %s', (what, body, helpers) => {
    expect(problems(body, helpers).join('\n')).toContain(what);
  });

  it('accepts the array callbacks AppSync allows, Object.keys/values/entries and sort without arguments', () => {
    const body = 'const xs = [3, 1].sort();\n  return [xs.map((x) => x + 1), xs.filter(isOdd), xs.reduce((a, x) => a + x, 0), Object.keys({}), Object.entries({})];';

    expect(problems(body, 'function isOdd(x) { return x % 2 === 1; }')).toEqual([]);
  });

  it('accepts a helper called from both handlers, and an arrow handler', () => {
    const source = `function twice(x) { return x * 2; }\nexport function request(ctx) { return twice(1); }\nexport const response = (ctx) => twice(ctx.result);\n`;

    expect(appsyncJsViolations(source, 'code.js')).toEqual([]);
  });

  it('asks for both handlers', () => {
    expect(appsyncJsViolations('export function request() { return {}; }\n', 'code.js')).toEqual(['code.js: does not export a response function']);
  });
});
