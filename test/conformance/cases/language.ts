// The language APPSYNC_JS runs and the parts of JavaScript it refuses.
import { requestBody, type ConformanceCase, type Expectation } from '../case.ts';
import { doc, eslintRule, sample } from './sources.ts';

const features = (section: string) => doc('supported-features', section);

const feature = (name: string, source: string, body: string, expect: Expectation, helpers = ''): ConformanceCase => ({
  name,
  source,
  code: requestBody(body, helpers),
  expect,
});

const refused = { refused: true } as const;

const supported: ConformanceCase[] = [
  feature('for-in and for-of loops run', features('Statements: for-in, for-of'), '  const out = [];\n  for (const k in { a: 1, b: 2 }) { out.push(k); }\n  for (const v of [3, 4]) { out.push(v); }\n  return out;', { result: ['a', 'b', 3, 4] }),
  feature('switch with break runs', features('Statements: switch, break'), "  switch (ctx.args.kind) {\n    case 'a':\n      return 1;\n    default:\n      break;\n  }\n  return 2;", { result: 2 }),
  feature('let, const and var declare variables', features('Statements: const, let, var'), '  var a = 1;\n  let b = 2;\n  const c = 3;\n  return a + b + c;', { result: 6 }),
  feature('template literals interpolate and nest', features('Literals: expression interpolation, nesting templates'), '  const who = "world";\n  return `hello ${`dear ${who}`}`;', { result: 'hello dear world' }),
  feature('arrow functions and rest parameters run', features('Functions: arrow functions, rest parameters'), '  const sum = (...n) => n.reduce((a, b) => a + b, 0);\n  return sum(1, 2, 3);', { result: 6 }),
  feature('spread, optional chaining and nullish coalescing run', features('Operators: spread, ?., ??'), '  const o = { ...{ a: 1 }, b: [...[2, 3]] };\n  return [o.a, o.b.length, o.c?.d ?? "none"];', { result: [1, 2, 'none'] }),
  feature('typeof, void and bitwise operators run', features('Operators: void, typeof, bitwise'), '  return [typeof "x", void 0 === undefined, 6 & 3, 6 | 1, 1 << 3];', { result: ['string', true, 2, 7, 8] }),
  feature('Object.hasOwn stands in for the in operator', features('Operators: use Object.hasOwn'), '  return [Object.hasOwn({ a: 1 }, "a"), Object.hasOwn({}, "a")];', { result: [true, false] }),
  feature('Object.keys, values, entries and assign run', features('Primitive objects: Object'), '  const o = Object.assign({}, { a: 1 });\n  return [Object.keys(o), Object.values(o), Object.entries(o)];', { result: [['a'], [1], [['a', 1]]] }),
  feature('delete removes a property', features('Primitive objects: Object, delete'), '  const o = { a: 1, b: 2 };\n  delete o.a;\n  return o;', { result: { b: 2 } }),
  feature('array callbacks (map, filter, reduce, find, some, every, flatMap) run', 'AWS blog: aws.amazon.com/blogs/mobile/aws-appsync-pipeline-resolvers-and-functions-now-support-additional-array-methods-and-arrow-functions', '  const xs = [1, 2, 3];\n  return [xs.map((x) => x * 2), xs.filter((x) => x > 1), xs.reduce((a, x) => a + x, 0), xs.find((x) => x === 2), xs.some((x) => x > 2), xs.every((x) => x > 0), xs.flatMap((x) => [x, x])];', {
    result: [[2, 4, 6], [2, 3], 6, 2, true, true, [1, 1, 2, 2, 3, 3]],
  }),
  feature('sort without a comparator runs', features('Built-in objects: Array.prototype.sort() takes no arguments'), '  return ["b", "c", "a"].sort();', { result: ['a', 'b', 'c'] }),
  feature('JSON.stringify and JSON.parse round-trip', features('Built-in objects: JSON'), '  return JSON.parse(JSON.stringify({ a: [1, "x"] }));', { result: { a: [1, 'x'] } }),
  feature('a helper function declared beside the handlers runs', features('Functions: function declarations'), '  return double(21);', { result: 42 }, 'function double(n) {\n  return n * 2;\n}\n'),
  {
    name: 'a handler exported as an arrow function runs',
    source: sample('samples/pipeline/default.js'),
    code: `import { util } from '@aws-appsync/utils';\nexport function request(ctx) {\n  return {};\n}\nexport const response = (ctx) => ctx.prev.result;\n`,
    function: 'response',
    context: { prev: { result: { ok: true } } },
    expect: { result: { ok: true } },
  },
];

const strict: ConformanceCase[] = [
  feature('an assignment to an undeclared name fails (strict mode)', features('Strict mode: functions operate in strict mode, which cannot be changed'), '  undeclared = 1;\n  return undeclared;', refused),
];

const refusedFeatures: ConformanceCase[] = [
  feature('try/catch is refused', features('Statements not supported: try, catch'), '  try { return 1; } catch (e) { return 2; }', refused),
  feature('throw is refused', features('Statements not supported: throw'), '  throw new Error("x");', refused),
  feature('while is refused', features('Statements not supported: while'), '  let i = 0;\n  while (i < 2) { i = i + 1; }\n  return i;', refused),
  feature('do-while is refused', features('Statements not supported: do-while'), '  let i = 0;\n  do { i = i + 1; } while (i < 2);\n  return i;', refused),
  feature('for(;;) is refused', features('Statements not supported: for(initialization; condition; afterthought)'), '  let s = 0;\n  for (let i = 0; i < 2; i = i + 1) { s = s + i; }\n  return s;', refused),
  feature('continue is refused', features('Statements not supported: continue'), '  const out = [];\n  for (const x of [1, 2]) { if (x === 1) continue; out.push(x); }\n  return out;', refused),
  feature('labeled statements are refused', features('Statements not supported: labeled statements'), '  outer: for (const x of [1]) { break outer; }\n  return 1;', refused),
  feature('++ is refused', features('Operators not supported: ++'), '  let i = 0;\n  i++;\n  return i;', refused),
  feature('-- is refused', features('Operators not supported: --'), '  let i = 2;\n  --i;\n  return i;', refused),
  feature('~ is refused', features('Operators not supported: ~'), '  return ~1;', refused),
  feature('the in operator is refused', features('Operators not supported: in'), '  return "a" in { a: 1 };', refused),
  feature('instanceof is refused', eslintRule('no-disallowed-binary-operators', 'instanceof'), '  return [] instanceof Object;', refused),
  feature('classes are refused', eslintRule('no-classes', 'class'), '  class A {}\n  return 1;', refused),
  feature('async functions are refused', eslintRule('no-async', 'async'), '  const f = async () => 1;\n  return 1;', refused),
  feature('generators are refused', eslintRule('no-generators', 'function*'), '  function* g() { yield 1; }\n  return 1;', refused),
  feature('regular-expression literals are refused', eslintRule('no-regex', 'regular expression literals'), '  return /a/.test("a");', refused),
  feature('this is refused', eslintRule('no-this', 'this'), '  return this;', refused),
  feature('Promise is refused', eslintRule('no-promise', 'new Promise'), '  return new Promise((r) => r(1));', refused),
  feature('Function.prototype.call is refused', features('Built-in objects and functions: Function.prototype.call is not among the supported built-ins'), '  return add.call(null, 1, 2);', refused, 'function add(a, b) {\n  return a + b;\n}\n'),
  feature('Function.prototype.apply is refused', features('Built-in objects and functions: Function.prototype.apply is not among the supported built-ins'), '  return add.apply(null, [1, 2]);', refused, 'function add(a, b) {\n  return a + b;\n}\n'),
  feature('Function.prototype.bind is refused', features('Built-in objects and functions: Function.prototype.bind is not among the supported built-ins'), '  const one = add.bind(null, 1);\n  return one(2);', refused, 'function add(a, b) {\n  return a + b;\n}\n'),
  feature('Array.from is refused', eslintRule('no-disallowed-methods', 'Array.from'), '  return Array.from([1, 2]);', refused),
  feature('Array.of is refused', eslintRule('no-disallowed-methods', 'Array.of'), '  return Array.of(1, 2);', refused),
  feature('Object.freeze is refused', eslintRule('no-disallowed-methods', 'ObjectConstructor.freeze'), '  return Object.freeze({ a: 1 });', refused),
  feature('Object.defineProperty is refused', eslintRule('no-disallowed-methods', 'ObjectConstructor.defineProperty'), '  const o = {};\n  Object.defineProperty(o, "a", { value: 1 });\n  return o;', refused),
  feature('Object.getPrototypeOf is refused', eslintRule('no-disallowed-methods', 'ObjectConstructor.getPrototypeOf'), '  return Object.getPrototypeOf({}) === null;', refused),
  feature('String.prototype.padStart is refused', eslintRule('no-disallowed-methods', 'String.padStart'), '  return "7".padStart(3, "0");', refused),
  feature('String.prototype.repeat is refused', eslintRule('no-disallowed-methods', 'String.repeat'), '  return "ab".repeat(2);', refused),
  feature('String.prototype.charCodeAt is refused', eslintRule('no-disallowed-methods', 'String.charCodeAt'), '  return "a".charCodeAt(0);', refused),
  feature('String.fromCharCode is refused', eslintRule('no-disallowed-methods', 'String.fromCharCode'), '  return String.fromCharCode(97);', refused),
  feature('Array.prototype.entries is refused', eslintRule('no-disallowed-methods', 'Array.entries'), '  const out = [];\n  for (const e of ["a"].entries()) { out.push(e); }\n  return out;', refused),
  feature('Date setters are refused', eslintRule('no-disallowed-methods', 'Date.setFullYear'), '  const d = new Date(0);\n  d.setFullYear(2020);\n  return d.getTime();', refused),
  feature('recursion is refused', eslintRule('no-recursion', 'recursive function calls'), '  return fact(3);', refused, 'function fact(n) {\n  return n <= 1 ? 1 : n * fact(n - 1);\n}\n'),
  feature('mutual recursion is refused', eslintRule('no-recursion', 'a cycle through several functions'), '  return isEven(4);', refused, 'function isEven(n) {\n  return n === 0 ? true : isOdd(n - 1);\n}\nfunction isOdd(n) {\n  return n === 0 ? false : isEven(n - 1);\n}\n'),
  feature('passing a function to a function is refused', eslintRule('no-function-passing', 'functions can not be passed as an argument'), '  return apply((x) => x + 1, 1);', refused, 'function apply(f, x) {\n  return f(x);\n}\n'),
  feature('passing a named function to a function is refused', eslintRule('no-function-passing', 'functions can not be passed as an argument'), '  return twice(inc, 1);', refused, 'function inc(x) {\n  return x + 1;\n}\nfunction twice(f, x) {\n  return f(f(x));\n}\n'),
  feature('returning a function is refused', eslintRule('no-function-return', 'functions can not be returned'), '  return adder(1)(2);', refused, 'function adder(a) {\n  return (b) => a + b;\n}\n'),
  feature('re-assigning a function is refused', eslintRule('no-function-reassign', 're-assigning function is not allowed'), '  const alias = inc;\n  return alias(1);', refused, 'function inc(x) {\n  return x + 1;\n}\n'),
  feature('sort with a comparator is refused', `${features('Built-in objects: Array.prototype.sort() takes no arguments')}; ${eslintRule('no-function-passing', 'Array.sort is not in the allow-list')}`, '  return [3, 1, 2].sort((a, b) => a - b);', refused),
];

export const languageCases: ConformanceCase[] = [...supported, ...strict, ...refusedFeatures];
