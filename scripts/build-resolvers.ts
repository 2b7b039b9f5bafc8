// Bundles every resolver and pipeline step listed in resolvers/manifest.ts into an APPSYNC_JS
// module (dist/resolvers/<code>.js), then refuses the build when:
// - a manifest field is not in schema.graphql, or a resolver file is not in the manifest;
// - a bundle does not parse, does not export `request` and `response`, or is over AppSync's size limit;
// - a bundle uses what the APPSYNC_JS runtime does not support (the lint catches most of it in the
//   sources; this check reads the bundled bytes that AppSync will actually run).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildSchema, isObjectType } from 'graphql';
import ts from 'typescript';
import { resolvers, type ResolverSpec } from '../resolvers/manifest.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resolversDir = path.join(root, 'resolvers');
const outDir = path.join(root, 'dist', 'resolvers');

/** AppSync refuses resolver and function code larger than 32 KB. */
const MAX_CODE_BYTES = 32 * 1024;
const ALLOWED_IMPORTS = new Set(['@aws-appsync/utils', '@aws-appsync/utils/dynamodb']);
/** Globals that exist in Node but not in APPSYNC_JS. */
const FORBIDDEN_GLOBALS = new Set([
  'process', 'require', 'module', 'exports', 'global', 'globalThis', 'Buffer', 'setTimeout', 'setInterval',
  'setImmediate', 'clearTimeout', 'clearInterval', 'Promise', 'Proxy', 'Reflect', 'WeakMap', 'WeakSet',
  'Symbol', 'eval', 'Function', 'fetch', 'crypto', 'RegExp', 'Intl', 'queueMicrotask', 'structuredClone',
]);

/** Every code file named by the manifest, relative to resolvers/ without extension. */
export function manifestCodes(specs: readonly ResolverSpec[]): string[] {
  const codes = specs.flatMap((spec) => (spec.kind === 'PIPELINE' ? [spec.code, ...spec.steps.map((s) => s.code)] : [spec.code]));
  return [...new Set(codes)];
}

function fail(problems: string[]): never {
  for (const problem of problems) {
    console.error(`build-resolvers: ${problem}`);
  }
  process.exit(1);
}

function checkManifestAgainstSchema(): string[] {
  const sdl = ['graphql/aws-appsync.graphql', 'schema.graphql'].map((f) => readFileSync(path.join(root, f), 'utf8')).join('\n');
  const schema = buildSchema(sdl);
  const problems: string[] = [];
  for (const spec of resolvers) {
    const type = schema.getType(spec.typeName);
    if (!type || !isObjectType(type)) {
      problems.push(`manifest names type ${spec.typeName}, which schema.graphql does not define`);
    } else if (!type.getFields()[spec.fieldName]) {
      problems.push(`manifest names field ${spec.typeName}.${spec.fieldName}, which schema.graphql does not define`);
    }
    const unitCode = spec.kind === 'UNIT' ? spec.code : path.dirname(spec.code);
    if (!unitCode.startsWith(`${spec.typeName}.${spec.fieldName}`)) {
      problems.push(`code ${spec.code} does not live under ${spec.typeName}.${spec.fieldName}`);
    }
  }
  const seen = new Set(resolvers.map((r) => `${r.typeName}.${r.fieldName}`));
  if (seen.size !== resolvers.length) {
    problems.push('manifest lists a field twice');
  }
  return problems;
}

/** Resolver sources on disk that the manifest does not list (a file named for a field must resolve it). */
function strayResolverFiles(codes: readonly string[]): string[] {
  const listed = new Set(codes.map((c) => `${c}.ts`));
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : [path.relative(resolversDir, full)];
    });
  return walk(resolversDir)
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f.endsWith('.ts') && !f.startsWith('lib/') && f !== 'manifest.ts' && !listed.has(f))
    .map((f) => `resolvers/${f} is not in resolvers/manifest.ts`);
}

/** Statements, operators and globals APPSYNC_JS refuses, found in a bundle. */
export function appsyncJsViolations(source: string, fileName: string): string[] {
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
  const exported = new Set<string>();
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
        if (ts.isIdentifier(callee) && callee.text !== 'Date') {
          report(node, `new ${callee.text}`);
        }
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
        const op = (node as ts.BinaryExpression).operatorToken.kind;
        if (op === ts.SyntaxKind.InKeyword || op === ts.SyntaxKind.InstanceOfKeyword) {
          report(node, `the ${ts.tokenToString(op)} operator`);
        }
        break;
      }
      case ts.SyntaxKind.ImportDeclaration: {
        const specifier = ((node as ts.ImportDeclaration).moduleSpecifier as ts.StringLiteral).text;
        if (!ALLOWED_IMPORTS.has(specifier)) {
          report(node, `import of ${specifier}`);
        }
        break;
      }
      case ts.SyntaxKind.CallExpression: {
        const callee = (node as ts.CallExpression).expression;
        if (callee.kind === ts.SyntaxKind.ImportKeyword) {
          report(node, 'dynamic import');
        }
        break;
      }
      case ts.SyntaxKind.Identifier: {
        const id = node as ts.Identifier;
        const parent = id.parent;
        const isName =
          ((ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isMethodDeclaration(parent)) &&
            parent.name === id) ||
          (ts.isBindingElement(parent) && parent.propertyName === id);
        if (!isName && FORBIDDEN_GLOBALS.has(id.text)) {
          report(node, `the global ${id.text}`);
        }
        break;
      }
      case ts.SyntaxKind.FunctionDeclaration:
      case ts.SyntaxKind.FunctionExpression:
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.MethodDeclaration: {
        const fn = node as ts.FunctionLikeDeclaration;
        if (fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) {
          report(node, 'an async function');
        }
        if (fn.asteriskToken) {
          report(node, 'a generator');
        }
        break;
      }
      case ts.SyntaxKind.ExportDeclaration: {
        const clause = (node as ts.ExportDeclaration).exportClause;
        if (clause && ts.isNamedExports(clause)) {
          clause.elements.forEach((e) => exported.add(e.name.text));
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
  for (const name of ['request', 'response']) {
    if (!exported.has(name)) {
      problems.push(`${fileName}: does not export a ${name} function`);
    }
  }
  return problems;
}

async function main(): Promise<void> {
  const codes = manifestCodes(resolvers);
  const problems = [...checkManifestAgainstSchema(), ...strayResolverFiles(codes)];
  for (const code of codes) {
    if (!existsSync(path.join(resolversDir, `${code}.ts`))) {
      problems.push(`resolvers/${code}.ts is named by the manifest but does not exist`);
    }
  }
  if (problems.length > 0) {
    fail(problems);
  }

  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    entryPoints: codes.map((code) => ({ in: path.join(resolversDir, `${code}.ts`), out: code })),
    outdir: outDir,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    external: ['@aws-appsync/utils', '@aws-appsync/utils/*'],
    minify: false,
    treeShaking: true,
    sourcemap: 'inline',
    sourcesContent: false,
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
  });
  if (result.errors.length > 0) {
    fail(result.errors.map((e) => e.text));
  }

  for (const code of codes) {
    const file = path.join(outDir, `${code}.js`);
    const source = readFileSync(file, 'utf8');
    const size = Buffer.byteLength(source);
    if (size > MAX_CODE_BYTES) {
      problems.push(`dist/resolvers/${code}.js is ${size} bytes, over AppSync's ${MAX_CODE_BYTES}`);
    }
    problems.push(...appsyncJsViolations(source, `dist/resolvers/${code}.js`));
  }
  if (problems.length > 0) {
    fail(problems);
  }
  console.log(`build-resolvers: ${codes.length} APPSYNC_JS bundles in ${path.relative(root, outDir)}/`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
