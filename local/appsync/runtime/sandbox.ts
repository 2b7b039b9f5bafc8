// Loads a bundled resolver (ESM, APPSYNC_JS) into its own node:vm context: esbuild turns the module into
// CommonJS, and the only module it can require is @aws-appsync/utils (and its /dynamodb helpers). The context
// has no Node globals (no process, require, Buffer, timers), no Promise/Proxy/Reflect/Intl, and no eval.
import path from 'node:path';
import vm from 'node:vm';
import { transformSync } from 'esbuild';
import * as dynamodbModule from './modules/dynamodb.ts';
import { SourceMap, type SourcePosition } from './source-map.ts';
import { createConsole, type RuntimeLogger } from './util/index.ts';

export interface HandlerModule {
  /** The code name, e.g. `Mutation.createBlob/1-validate-input`. */
  code: string;
  request?: (ctx: unknown) => unknown;
  response?: (ctx: unknown) => unknown;
}

/** A JavaScript error raised by resolver code (not util.error): AppSync reports it with errorType "Code". */
export class CodeError extends Error {
  constructor(
    message: string,
    readonly position: SourcePosition | null,
    readonly original: unknown,
  ) {
    super(message);
    this.name = 'CodeError';
  }
}

export interface SandboxOptions {
  /** The objects `@aws-appsync/utils` exports, shared by every bundle. */
  appsyncUtils: { util: object; runtime: object; extensions: object };
  logger: RuntimeLogger;
  /** A handler that runs longer than this is stopped (a Code error). */
  timeoutMs: number;
}

/** Globals V8 gives every context that APPSYNC_JS does not have. */
const REMOVED_GLOBALS = ['Promise', 'Proxy', 'Reflect', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry', 'SharedArrayBuffer', 'Atomics', 'WebAssembly', 'Intl', 'eval', 'globalThis'];

const INVOKE = new vm.Script('__appsync_invoke__()', { filename: 'appsync-runtime' });

/** AppSync's JSON.parse answers "" for text that is not JSON, where V8's throws. */
const LENIENT_JSON_PARSE = `(() => { const parse = JSON.parse; JSON.parse = function parse$(text, reviver) {
  try { return parse(text, reviver); } catch (error) { return ''; } }; })();`;

export class Sandbox {
  constructor(private readonly options: SandboxOptions) {}

  load(code: string, bundleFile: string, source: string): LoadedHandlers {
    const transformed = transformSync(source, {
      format: 'cjs',
      loader: 'js',
      target: 'es2020',
      sourcemap: 'external',
      sourcefile: path.basename(bundleFile),
    });
    const map = new SourceMap(JSON.parse(transformed.map) as { sources: string[]; mappings: string }, (s) =>
      path.relative(process.cwd(), path.resolve(path.dirname(bundleFile), s)).split(path.sep).join('/'),
    );
    const { util, runtime, extensions } = this.options.appsyncUtils;
    const context = vm.createContext(
      { util, runtime, extensions, console: createConsole(this.options.logger, code) },
      { name: `appsync:${code}`, codeGeneration: { strings: false, wasm: false } },
    );
    vm.runInContext(REMOVED_GLOBALS.map((g) => `delete globalThis.${g};`).join(' ') + LENIENT_JSON_PARSE, context);
    const filename = `appsync:${code}.js`;
    // esbuild's CommonJS output imports with require("...") and exports through module.exports; both are
    // renamed so that resolver code sees no `require` or `module` of its own. AppSync runs code in strict
    // mode (an assignment to an undeclared name is a ReferenceError): 'use strict' opens the wrapper, on the
    // wrapper's first line so that stack positions still map through the source map.
    const body = transformed.code
      .replace(/\brequire\(("[^"]*")\)/g, '__appsync_import__($1)')
      .replace(/\bmodule\.exports\b/g, '__appsync_module__.exports');
    const wrapper = vm.runInContext(`(function (__appsync_module__, __appsync_import__) {'use strict';\n${body}\n})`, context, {
      filename,
      timeout: this.options.timeoutMs,
    }) as (module: { exports: object }, importModule: (name: string) => unknown) => void;
    const module = { exports: {} as Record<string, unknown> };
    const importModule = (name: string): unknown => {
      if (name === '@aws-appsync/utils') return this.options.appsyncUtils;
      if (name === '@aws-appsync/utils/dynamodb') return dynamodbModule;
      throw new Error(`Cannot find module '${name}': APPSYNC_JS code can only import @aws-appsync/utils`);
    };
    wrapper(module, importModule);
    const exports = module.exports;
    return new LoadedHandlers(code, context, filename, map, this.options.timeoutMs, {
      request: typeof exports.request === 'function' ? (exports.request as (ctx: unknown) => unknown) : undefined,
      response: typeof exports.response === 'function' ? (exports.response as (ctx: unknown) => unknown) : undefined,
    });
  }
}

export class LoadedHandlers {
  constructor(
    readonly code: string,
    private readonly context: vm.Context,
    private readonly filename: string,
    private readonly map: SourceMap,
    private readonly timeoutMs: number,
    private readonly handlers: { request?: (ctx: unknown) => unknown; response?: (ctx: unknown) => unknown },
  ) {}

  has(handler: 'request' | 'response'): boolean {
    return this.handlers[handler] !== undefined;
  }

  /**
   * Calls `request` or `response` synchronously under the time limit. util.error / runtime.earlyReturn
   * signals pass through unchanged; any other error becomes a CodeError positioned in the TypeScript source.
   */
  call(handler: 'request' | 'response', ctx: unknown, isSignal: (error: unknown) => boolean): unknown {
    const fn = this.handlers[handler];
    if (!fn) throw new CodeError(`${this.code}.js: no ${handler} function is exported`, null, null);
    this.context.__appsync_invoke__ = () => fn(ctx);
    try {
      return INVOKE.runInContext(this.context, { timeout: this.timeoutMs });
    } catch (error) {
      if (isSignal(error)) throw error;
      throw this.toCodeError(error);
    } finally {
      delete this.context.__appsync_invoke__;
    }
  }

  private toCodeError(error: unknown): CodeError {
    const e = error as { name?: string; message?: string; stack?: string; code?: string };
    if (e?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      return new CodeError(`${this.code}.js: execution timed out after ${this.timeoutMs} ms`, null, error);
    }
    const name = e?.name ?? 'Error';
    const message = e?.message ?? String(error);
    const escaped = this.filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(e?.stack ?? '');
    const position = m ? this.map.originalPosition(Number(m[1]) - 1, Number(m[2])) : null;
    const where = position ? `${position.source}:${position.line}:${position.column}` : `${this.code}.js`;
    return new CodeError(`${where}: ${name}: ${message}`, position, error);
  }
}
