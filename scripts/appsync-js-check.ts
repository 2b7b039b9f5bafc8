// What APPSYNC_JS refuses, found in JavaScript source (a bundle, or code sent to the local EvaluateCode) without
// type information. The list follows AppSync's "Supported runtime features" page and the rules of AppSync's own
// ESLint plugin (@aws-appsync/eslint-plugin: no-disallowed-methods, no-function-passing, no-function-return,
// no-function-reassign, no-recursion, ...), which need types; here the same rules are read from the syntax alone:
// - statements: try/catch/finally, throw, for(;;), while, do-while, continue, labels;
// - operators: in, instanceof, ++, --, ~; this; classes; async/await; generators; regular-expression literals;
//   new of anything but Date; Node globals; imports other than @aws-appsync/utils[/dynamodb];
// - Function.prototype.call / apply / bind;
// - the methods AppSync does not implement (Array.from, Object.freeze, String.prototype.padStart, ...);
// - functions passed as arguments (except to the array methods AppSync lists), returned, or re-assigned;
//   recursion (a cycle in the calls between the module's functions); sort with a comparator.
// Unknown identifiers are not resolved: a local object with a method named like a refused one (`x.bind()`) is
// refused too, which errs on the side AppSync errs on.
import ts from 'typescript';

const ALLOWED_IMPORTS = new Set(['@aws-appsync/utils', '@aws-appsync/utils/dynamodb']);

/** Globals that exist in Node but not in APPSYNC_JS. */
const FORBIDDEN_GLOBALS = new Set([
  'process', 'require', 'module', 'exports', 'global', 'globalThis', 'Buffer', 'setTimeout', 'setInterval',
  'setImmediate', 'clearTimeout', 'clearInterval', 'Promise', 'Proxy', 'Reflect', 'WeakMap', 'WeakSet',
  'Symbol', 'eval', 'Function', 'fetch', 'crypto', 'RegExp', 'Intl', 'queueMicrotask', 'structuredClone',
  'arguments',
]);

/** Static methods AppSync does not implement (no-disallowed-methods), by their global object. */
const DENIED_STATICS: Record<string, ReadonlySet<string>> = {
  Array: new Set(['from', 'of']),
  Object: new Set([
    'create', 'defineProperties', 'defineProperty', 'freeze', 'getOwnPropertyDescriptor', 'getOwnPropertyDescriptors',
    'getOwnPropertyNames', 'getOwnPropertySymbols', 'getPrototypeOf', 'hasOwnProperty', 'is', 'isExtensible',
    'isFrozen', 'isPrototypeOf', 'isSealed', 'preventExtensions', 'propertyIsEnumerable', 'seal', 'setPrototypeOf',
    'toLocaleString',
  ]),
  String: new Set(['fromCharCode', 'fromCodePoint', 'raw']),
};

/** Prototype methods AppSync does not implement whose names no supported method shares. */
const DENIED_METHODS = new Set([
  'copyWithin', 'group', 'groupToMap', 'charCodeAt', 'localeCompare', 'matchAll', 'padEnd', 'padStart', 'repeat',
  'search', 'toLocaleLowerCase', 'toLocaleUpperCase', 'toLocaleString', 'setDate', 'setFullYear', 'setHours',
  'setMilliseconds', 'setMinutes', 'setMonth', 'setSeconds', 'setTime', 'setUTCDate', 'setUTCFullYear', 'setUTCHours',
  'setUTCMilliseconds', 'setUTCMinutes', 'setUTCMonth', 'setUTCSeconds', 'setYear', 'toGMTString',
  'toLocaleDateString', 'toLocaleTimeString',
]);

/** Array.prototype.keys/values/entries are refused; Object.keys/values/entries are supported. */
const ITERATOR_METHODS = new Set(['keys', 'values', 'entries']);

/** Function.prototype methods AppSync refuses. */
const FUNCTION_METHODS = new Set(['call', 'apply', 'bind']);

/** The only methods a function may be passed to (no-function-passing's allow-list). */
const CALLBACK_METHODS = new Set(['map', 'find', 'filter', 'findIndex', 'findLast', 'findLastIndex', 'forEach', 'reduce', 'reduceRight', 'every', 'some', 'flatMap']);

type FunctionNode = ts.FunctionDeclaration | ts.FunctionExpression | ts.ArrowFunction | ts.MethodDeclaration;

const isFunctionNode = (node: ts.Node): node is FunctionNode =>
  ts.isFunctionDeclaration(node) || ts.isFunctionExpression(node) || ts.isArrowFunction(node) || ts.isMethodDeclaration(node);

/** Functions the module names: `function f() {}` and `const f = () => ...` / `const f = function () {}`. */
function namedFunctions(file: ts.SourceFile): Map<string, FunctionNode> {
  const names = new Map<string, FunctionNode>();
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionDeclaration(node) && node.name) names.set(node.name.text, node);
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer) {
      const init = skipParentheses(node.initializer);
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) names.set(node.name.text, init);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return names;
}

function skipParentheses(node: ts.Expression): ts.Expression {
  return ts.isParenthesizedExpression(node) ? skipParentheses(node.expression) : node;
}

/** True when `id` is a reference to a binding (not a property name, a declaration's name, or a label). */
function isReference(id: ts.Identifier): boolean {
  const parent = id.parent;
  if ((ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent)) && parent.name === id) return false;
  if (ts.isBindingElement(parent) && parent.propertyName === id) return false;
  if ((ts.isFunctionDeclaration(parent) || ts.isFunctionExpression(parent) || ts.isVariableDeclaration(parent) || ts.isParameter(parent)) && parent.name === id) return false;
  if (ts.isImportSpecifier(parent) || ts.isExportSpecifier(parent) || ts.isNamespaceImport(parent) || ts.isImportClause(parent)) return false;
  return true;
}

/** The function an identifier names, if the module declares one by that name. */
function namesFunction(node: ts.Expression, functions: ReadonlyMap<string, FunctionNode>): boolean {
  const inner = skipParentheses(node);
  return ts.isArrowFunction(inner) || ts.isFunctionExpression(inner) || (ts.isIdentifier(inner) && functions.has(inner.text));
}

/** The innermost named function (by the name the module gives it) that contains `node`. */
function enclosingFunctionName(node: ts.Node, byNode: ReadonlyMap<FunctionNode, string>): string | undefined {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (isFunctionNode(n) && byNode.has(n)) return byNode.get(n);
  }
  return undefined;
}

/** A cycle in the calls between the module's functions, as `a -> b -> a`, or null. */
function findCycle(calls: ReadonlyMap<string, ReadonlySet<string>>): string[] | null {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | null => {
    if (state.get(name) === 'visiting') return [...stack.slice(stack.indexOf(name)), name];
    if (state.get(name) === 'done') return null;
    state.set(name, 'visiting');
    stack.push(name);
    for (const callee of calls.get(name) ?? []) {
      const cycle = visit(callee);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(name, 'done');
    return null;
  };
  for (const name of calls.keys()) {
    const cycle = visit(name);
    if (cycle) return cycle;
  }
  return null;
}

export interface CodeCheckOptions {
  /** Require `request` and `response` exports (a resolver or function module). Default true. */
  requireHandlers?: boolean;
}

/** Statements, operators, methods and globals APPSYNC_JS refuses, found in `source`; empty when AppSync would run it. */
export function appsyncJsViolations(source: string, fileName: string, options: CodeCheckOptions = {}): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2020, true, ts.ScriptKind.JS);
  const problems: string[] = [];
  const report = (node: ts.Node, what: string) => {
    const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
    problems.push(`${fileName}:${line + 1}:${character + 1}: ${what} is not supported by APPSYNC_JS`);
  };
  const parseErrors = (file as unknown as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  for (const diagnostic of parseErrors) {
    problems.push(`${fileName}: does not parse: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`);
  }
  const functions = namedFunctions(file);
  const byNode = new Map<FunctionNode, string>([...functions].map(([name, node]) => [node, name]));
  const calls = new Map<string, Set<string>>([...functions.keys()].map((name) => [name, new Set<string>()]));
  const exported = new Set<string>();

  const checkCall = (call: ts.CallExpression) => {
    const callee = skipParentheses(call.expression);
    if (callee.kind === ts.SyntaxKind.ImportKeyword) report(call, 'dynamic import');
    if (ts.isIdentifier(callee) && functions.has(callee.text)) {
      const caller = enclosingFunctionName(call, byNode);
      if (caller) calls.get(caller)?.add(callee.text);
    }
    const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    const receiver = ts.isPropertyAccessExpression(callee) ? skipParentheses(callee.expression) : undefined;
    if (method && receiver) {
      const owner = ts.isIdentifier(receiver) ? receiver.text : undefined;
      if (FUNCTION_METHODS.has(method)) report(call, `Function.prototype.${method}`);
      else if (owner && DENIED_STATICS[owner]?.has(method)) report(call, `${owner}.${method}`);
      else if (DENIED_METHODS.has(method)) report(call, `the method ${method}`);
      else if (ITERATOR_METHODS.has(method) && owner !== 'Object') report(call, `Array.prototype.${method}`);
      else if (method === 'sort' && call.arguments.length > 0) report(call, 'sort with a comparator');
    }
    const passesFunction = call.arguments.some((arg) => namesFunction(arg, functions));
    if (passesFunction && !(method && CALLBACK_METHODS.has(method))) report(call, 'passing a function as an argument');
  };

  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.ClassExpression:
        report(node, 'a class');
        break;
      case ts.SyntaxKind.TryStatement:
        report(node, 'try/catch');
        break;
      case ts.SyntaxKind.ThrowStatement:
        report(node, 'throw');
        break;
      case ts.SyntaxKind.ForStatement:
        report(node, 'for(;;)');
        break;
      case ts.SyntaxKind.WhileStatement:
      case ts.SyntaxKind.DoStatement:
        report(node, 'a while loop');
        break;
      case ts.SyntaxKind.ContinueStatement:
        report(node, 'continue');
        break;
      case ts.SyntaxKind.LabeledStatement:
        report(node, 'a labeled statement');
        break;
      case ts.SyntaxKind.AwaitExpression:
        report(node, 'await');
        break;
      case ts.SyntaxKind.YieldExpression:
        report(node, 'yield');
        break;
      case ts.SyntaxKind.RegularExpressionLiteral:
        report(node, 'a regular expression literal (use util.matches)');
        break;
      case ts.SyntaxKind.ThisKeyword:
        report(node, 'this');
        break;
      case ts.SyntaxKind.NewExpression: {
        const callee = (node as ts.NewExpression).expression;
        if (!ts.isIdentifier(callee) || callee.text !== 'Date') report(node, `new ${callee.getText(file)}`);
        break;
      }
      case ts.SyntaxKind.PrefixUnaryExpression:
      case ts.SyntaxKind.PostfixUnaryExpression: {
        const op = (node as ts.PrefixUnaryExpression | ts.PostfixUnaryExpression).operator;
        if (op === ts.SyntaxKind.PlusPlusToken || op === ts.SyntaxKind.MinusMinusToken || op === ts.SyntaxKind.TildeToken) {
          report(node, `the ${ts.tokenToString(op)} operator`);
        }
        break;
      }
      case ts.SyntaxKind.BinaryExpression: {
        const binary = node as ts.BinaryExpression;
        const op = binary.operatorToken.kind;
        if (op === ts.SyntaxKind.InKeyword || op === ts.SyntaxKind.InstanceOfKeyword) {
          report(node, `the ${ts.tokenToString(op)} operator`);
        }
        if (op === ts.SyntaxKind.EqualsToken && ts.isIdentifier(skipParentheses(binary.right)) && namesFunction(binary.right, functions)) {
          report(node, 'assigning a function to another name');
        }
        break;
      }
      case ts.SyntaxKind.VariableDeclaration: {
        const init = (node as ts.VariableDeclaration).initializer;
        if (init && ts.isIdentifier(skipParentheses(init)) && namesFunction(init, functions)) {
          report(node, 'assigning a function to another name');
        }
        break;
      }
      case ts.SyntaxKind.ImportDeclaration: {
        const specifier = ((node as ts.ImportDeclaration).moduleSpecifier as ts.StringLiteral).text;
        if (!ALLOWED_IMPORTS.has(specifier)) report(node, `import of ${specifier}`);
        break;
      }
      case ts.SyntaxKind.CallExpression:
        checkCall(node as ts.CallExpression);
        break;
      case ts.SyntaxKind.ReturnStatement: {
        const value = (node as ts.ReturnStatement).expression;
        if (value && namesFunction(value, functions)) report(node, 'returning a function');
        break;
      }
      case ts.SyntaxKind.Identifier: {
        const id = node as ts.Identifier;
        if (FORBIDDEN_GLOBALS.has(id.text) && isReference(id)) report(node, `the global ${id.text}`);
        break;
      }
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.MethodDeclaration: {
        const fn = node as FunctionNode;
        if (fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) report(node, 'an async function');
        if (fn.asteriskToken) report(node, 'a generator');
        if (ts.isArrowFunction(fn) && !ts.isBlock(fn.body) && namesFunction(fn.body, functions)) report(node, 'returning a function');
        break;
      }
      case ts.SyntaxKind.ExportDeclaration: {
        const clause = (node as ts.ExportDeclaration).exportClause;
        if (clause && ts.isNamedExports(clause)) clause.elements.forEach((e) => exported.add(e.name.text));
        break;
      }
      case ts.SyntaxKind.VariableStatement: {
        const statement = node as ts.VariableStatement;
        if (statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
          statement.declarationList.declarations.forEach((d) => ts.isIdentifier(d.name) && exported.add(d.name.text));
        }
        break;
      }
      default:
        break;
    }
    if (ts.isFunctionDeclaration(node) && node.name && node.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) {
      exported.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);

  const cycle = findCycle(calls);
  if (cycle) problems.push(`${fileName}: recursion (${cycle.join(' -> ')}) is not supported by APPSYNC_JS`);
  if (options.requireHandlers ?? true) {
    for (const name of ['request', 'response']) {
      if (!exported.has(name)) problems.push(`${fileName}: does not export a ${name} function`);
    }
  }
  return problems;
}
