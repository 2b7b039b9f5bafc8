// Loads a bundled resolver (ESM, APPSYNC_JS) into its own node:vm context: esbuild turns the module into
// CommonJS, and the only module it can require is @aws-appsync/utils (and its /dynamodb helpers). The context
// has no Node globals (no process, require, Buffer, timers), no Promise/Proxy/Reflect/Intl, and no eval.
// Handlers are stopped past their time limit by the ticks handler-guard.ts compiles into the code.
import path from 'node:path';
import vm from 'node:vm';
import { transformSync } from 'esbuild';
import * as dynamodbModule from './modules/dynamodb.ts';
import { Deadline, HandlerTimeout, instrument, originalColumn, TICK, type InstrumentedCode } from './handler-guard.ts';
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
  /** Handler calls never nest (they are synchronous), so one deadline serves every bundle. */
  private readonly deadline = new Deadline();

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
    const globals = { util, runtime, extensions, console: createConsole(this.options.logger, code) };
    // Read-only: resolver code cannot replace its own guard.
    Object.defineProperty(globals, TICK, { value: this.deadline.tick, writable: false, enumerable: false, configurable: false });
    const context = vm.createContext(globals, { name: `appsync:${code}`, codeGeneration: { strings: false, wasm: false } });
    vm.runInContext(REMOVED_GLOBALS.map((g) => `delete globalThis.${g};`).join(' ') + LENIENT_JSON_PARSE, context);
    const filename = `appsync:${code}.js`;
    // esbuild's CommonJS output imports with require("...") and exports through module.exports; both are
    // renamed so that resolver code sees no `require` or `module` of its own. AppSync runs code in strict
    // mode (an assignment to an undeclared name is a ReferenceError): 'use strict' opens the wrapper, on the
    // wrapper's first line so that stack positions still map through the source map.
    const instrumented = instrument(transformed.code, filename);
    const body = instrumented.code
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
    return new LoadedHandlers(code, context, filename, map, instrumented, this.deadline, this.options.timeoutMs, {
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
    private readonly instrumented: Pick<InstrumentedCode, 'insertions' | 'guard'>,
    private readonly deadline: Deadline,
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
    try {
      if (this.instrumented.guard === 'deadline') return this.deadline.run(this.timeoutMs, () => fn(ctx));
      return this.callWithVmTimeout(fn, ctx);
    } catch (error) {
      if (isSignal(error)) throw error;
      throw this.toCodeError(error);
    }
  }

  /** A `vm` timeout: its watchdog thread interrupts even a built-in call (see handler-guard.ts for when). */
  private callWithVmTimeout(fn: (ctx: unknown) => unknown, ctx: unknown): unknown {
    this.context.__appsync_invoke__ = () => fn(ctx);
    try {
      return INVOKE.runInContext(this.context, { timeout: this.timeoutMs });
    } finally {
      delete this.context.__appsync_invoke__;
    }
  }

  private toCodeError(error: unknown): CodeError {
    const e = error as { name?: string; message?: string; stack?: string; code?: string };
    if (e?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT' || error instanceof HandlerTimeout) {
      return new CodeError(`${this.code}.js: execution timed out after ${this.timeoutMs} ms`, null, error);
    }
    const name = e?.name ?? 'Error';
    const message = e?.message ?? String(error);
    const escaped = this.filename.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const m = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(e?.stack ?? '');
    // Stack lines count the wrapper's first line; columns are those of the instrumented code.
    const line = m ? Number(m[1]) - 1 : 0;
    const column = m ? originalColumn(this.instrumented.insertions, line - 1, Number(m[2]) - 1) + 1 : 0;
    const position = m ? this.map.originalPosition(line, column) : null;
    const where = position ? `${position.source}:${position.line}:${position.column}` : `${this.code}.js`;
    return new CodeError(`${where}: ${name}: ${message}`, position, error);
  }
}
