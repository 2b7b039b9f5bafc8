// `npm run build` step: the function manifest (functions/manifest.ts) against the code. Refuses the build when
// - a handler file functions/<name>.ts has no manifest entry, or an entry has no handler file;
// - a Lambda data source of resolvers/manifest.ts names a function the manifest lacks, or one an API does not invoke;
// - a handler does not read its configuration as `loadConfig(process.env, FUNCTIONS['<its name>'].settings)`;
// - a function triggered by a queue lacks the permissions its event source mapping needs;
// - a handler reads a setting its entry does not declare (loadConfig's result has only the declared settings, so
//   TypeScript knows: the check runs the compiler over the handlers and words its errors for people).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { SETTINGS, variablesOf, type SettingName } from '../functions/commons/config.ts';
import { FUNCTIONS, QUEUE_TRIGGER_ACTIONS, type FunctionSpec } from '../functions/manifest.ts';
import { dataSources, type DataSourceSpec } from '../resolvers/manifest.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MANIFEST = 'functions/manifest.ts';

export interface CheckOptions {
  /** File contents to use instead of those on disk, by path from the repository root (new files too). */
  overrides?: Record<string, string>;
  functions?: Record<string, FunctionSpec>;
  dataSources?: Record<string, DataSourceSpec>;
  /** Type-check the handlers for undeclared settings (seconds of work). Default true. */
  types?: boolean;
}

/** Every problem found, one sentence each; none: the manifest and the code agree. */
export function checkFunctions(options: CheckOptions = {}): string[] {
  const overrides = options.overrides ?? {};
  const functions = options.functions ?? FUNCTIONS;
  const read = (file: string): string | undefined =>
    overrides[file] ?? (existsSync(path.join(ROOT, file)) ? readFileSync(path.join(ROOT, file), 'utf8') : undefined);
  const handlers = handlerFiles(overrides);
  const problems = [
    ...handlers.filter((name) => !Object.hasOwn(functions, name)).map((name) =>
      `functions/${name}.ts is a handler, but ${MANIFEST} has no entry "${name}": declare its trigger, timeout, memory, settings and permissions there`),
    ...Object.keys(functions).filter((name) => !handlers.includes(name)).map((name) =>
      `${MANIFEST} declares "${name}", but there is no functions/${name}.ts exporting its handler`),
    ...dataSourceProblems(functions, options.dataSources ?? dataSources),
    ...Object.entries(functions).flatMap(([name, spec]) => triggerProblems(name, spec)),
    ...handlers.filter((name) => Object.hasOwn(functions, name)).flatMap((name) => configurationProblems(name, read(`functions/${name}.ts`) ?? '')),
  ];
  if (problems.length > 0 || options.types === false) {
    return problems;
  }
  return undeclaredSettings(handlers.filter((name) => Object.hasOwn(functions, name)), overrides, functions);
}

/** functions/<name>.ts: every TypeScript file at the top of functions/ but the manifest. */
function handlerFiles(overrides: Record<string, string>): string[] {
  const onDisk = readdirSync(path.join(ROOT, 'functions')).map((file) => `functions/${file}`);
  return [...new Set([...onDisk, ...Object.keys(overrides)])]
    .filter((file) => /^functions\/[^/]+\.ts$/.test(file) && !file.endsWith('.d.ts') && file !== MANIFEST)
    .map((file) => path.basename(file, '.ts'))
    .sort();
}

function dataSourceProblems(functions: Record<string, FunctionSpec>, sources: Record<string, DataSourceSpec>): string[] {
  const invoked = Object.entries(sources).flatMap(([name, spec]) => (spec.kind === 'LAMBDA' ? [[name, spec.handler] as const] : []));
  return [
    ...invoked.filter(([, handler]) => functions[handler]?.trigger.kind !== 'appsync').map(([name, handler]) =>
      Object.hasOwn(functions, handler)
        ? `resolvers/manifest.ts: data source ${name} invokes "${handler}", whose trigger in ${MANIFEST} is not appsync`
        : `resolvers/manifest.ts: data source ${name} invokes "${handler}", which ${MANIFEST} does not declare`),
    ...Object.entries(functions)
      .filter(([name, spec]) => spec.trigger.kind === 'appsync' && !invoked.some(([, handler]) => handler === name))
      .map(([name]) => `${MANIFEST}: "${name}" is triggered by AppSync, but no data source of resolvers/manifest.ts invokes it`),
  ];
}

function triggerProblems(name: string, spec: FunctionSpec): string[] {
  const trigger = spec.trigger;
  if (trigger.kind !== 'queue') {
    return [];
  }
  const granted = spec.permissions.filter((permission) => permission.resource === trigger.queue).flatMap((permission) => permission.actions);
  const missing = QUEUE_TRIGGER_ACTIONS.filter((action) => !granted.includes(action));
  return missing.length === 0
    ? []
    : [`${MANIFEST}: "${name}" is triggered by ${trigger.queue}, so its event source mapping needs ${missing.join(', ')} on it`];
}

function configurationProblems(name: string, source: string): string[] {
  const own = `loadConfig(process.env, FUNCTIONS['${name}'].settings)`;
  if (!source.replace(/\s+/g, ' ').includes(own)) {
    return [`functions/${name}.ts must read its configuration as ${own}: the settings it reads are the ones its entry declares`];
  }
  const other = /FUNCTIONS\['([^']+)'\]/g;
  const named = [...source.matchAll(other)].map((match) => match[1]).filter((found) => found !== name);
  return named.length === 0 ? [] : [`functions/${name}.ts reads the manifest entry of ${named.join(', ')}: a handler reads its own`];
}

/** Compiles the handlers and turns "property X does not exist on Pick<Config, …>" into a sentence about the manifest. */
function undeclaredSettings(handlers: string[], overrides: Record<string, string>, functions: Record<string, FunctionSpec>): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  });
  const host = ts.createCompilerHost(parsed!.options);
  const absoluteOverrides = new Map(Object.entries(overrides).map(([file, text]) => [path.join(ROOT, file), text]));
  const { getSourceFile, fileExists, readFile } = host;
  host.fileExists = (file) => absoluteOverrides.has(path.resolve(file)) || fileExists.call(host, file);
  host.readFile = (file) => absoluteOverrides.get(path.resolve(file)) ?? readFile.call(host, file);
  host.getSourceFile = (file, language, onError, create) => {
    const text = absoluteOverrides.get(path.resolve(file));
    return text === undefined ? getSourceFile.call(host, file, language, onError, create) : ts.createSourceFile(file, text, language);
  };
  const program = ts.createProgram(handlers.map((name) => path.join(ROOT, 'functions', `${name}.ts`)), parsed!.options, host);
  const settingNames = Object.keys(SETTINGS) as SettingName[];
  return program
    .getSourceFiles()
    .filter((file) => path.relative(ROOT, file.fileName).startsWith('functions/'))
    .flatMap((file) => program.getSemanticDiagnostics(file))
    .flatMap((diagnostic) => {
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      const match = /Property '(\w+)' (?:does not exist on type|is missing in type) 'Pick<Config, [^']*>'/.exec(text);
      const setting = settingNames.find((candidate) => candidate === match?.[1]);
      if (!setting || !diagnostic.file) {
        return [];
      }
      const file = path.relative(ROOT, diagnostic.file.fileName);
      const line = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1;
      const handler = path.basename(file, '.ts');
      const owner = Object.hasOwn(functions, handler) && file === `functions/${handler}.ts` ? `"${handler}"` : 'the function using it';
      return [`${file}:${line} reads the setting ${setting} (${variablesOf(setting)}), which ${MANIFEST} does not declare for ${owner}: add it to its settings`];
    });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const problems = checkFunctions();
  for (const problem of problems) {
    console.error(`check-functions: ${problem}`);
  }
  if (problems.length > 0) {
    process.exit(1);
  }
  console.log(`check-functions: ${Object.keys(FUNCTIONS).length} functions agree with ${MANIFEST}`);
}
