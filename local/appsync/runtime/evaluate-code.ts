// The local counterpart of AppSync's EvaluateCode API: runs one handler (`request` or `response`) of an APPSYNC_JS
// module against a context given as JSON, with the same util/runtime/extensions and sandbox the resolvers get,
// and answers in EvaluateCode's shape (evaluationResult as JSON text, or error.message). Code AppSync would
// refuse is refused before it runs, as EvaluateCode refuses it ("The code contains one or more errors.").
import { appsyncJsViolations } from '../../../scripts/appsync-js-check.ts';
import { newInvocationState, withInvocation } from './invocation.ts';
import { CodeError, Sandbox } from './sandbox.ts';
import { isEarlyReturn, isResolverError } from './signals.ts';
import { createExtensions, createRuntime, createUtil, type RuntimeLogger } from './util/index.ts';

export interface EvaluateCodeInput {
  /** An APPSYNC_JS module (ES module source exporting `request` and `response`). */
  code: string;
  /** The context, as EvaluateCode takes it: JSON text of `{ arguments, source, result, stash, prev, identity, ... }`. */
  context: string;
  function: 'request' | 'response';
  /** The clock util.time and the ids read (epoch ms). Default: Date.now. */
  now?: () => number;
}

export interface EvaluateCodeOutput {
  /** JSON text of the handler's return value, when it returned. */
  evaluationResult?: string;
  /** Why it did not: util.error's message, `<file>:<line>:<col>: <Error>: ...` for a code error, or refused code. */
  error?: { message: string; codeErrors?: string[] };
  /** console output, one entry per call. */
  logs: string[];
}

/** EvaluateCode's message for code that does not pass AppSync's checks. */
export const REFUSED_CODE_MESSAGE = 'The code contains one or more errors.';

const HANDLER_TIMEOUT_MS = 1000;

export function evaluateCode(input: EvaluateCodeInput): EvaluateCodeOutput {
  const logs: string[] = [];
  const codeErrors = appsyncJsViolations(input.code, 'code.js');
  if (codeErrors.length > 0) return { error: { message: REFUSED_CODE_MESSAGE, codeErrors }, logs };

  const line = (level: string) => (message: string) => logs.push(`${level.toUpperCase()} ${message}`);
  const logger: RuntimeLogger = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  const now = input.now ?? Date.now;
  const appsyncUtils = { util: createUtil({ now, logger }), runtime: createRuntime(), extensions: createExtensions() };
  const sandbox = new Sandbox({ appsyncUtils, logger, timeoutMs: HANDLER_TIMEOUT_MS });
  let handlers;
  try {
    handlers = sandbox.load('code', 'code.js', input.code);
  } catch (error) {
    return { error: { message: error instanceof Error ? error.message : String(error) }, logs };
  }

  const ctx = JSON.parse(input.context) as Record<string, unknown>;
  // AppSync always gives ctx.args (the same object as ctx.arguments) and an empty stash.
  ctx.arguments = ctx.arguments ?? {};
  ctx.args = ctx.arguments;
  ctx.stash = ctx.stash ?? {};
  // No field: EvaluateCode runs a handler outside any GraphQL request.
  const state = newInvocationState('', '', (ctx.identity as null | undefined) ?? null);
  try {
    const value = withInvocation(state, () => handlers.call(input.function, ctx, (e) => isResolverError(e) || isEarlyReturn(e)));
    return { evaluationResult: JSON.stringify(value ?? null), logs };
  } catch (error) {
    if (isEarlyReturn(error)) return { evaluationResult: JSON.stringify(error.value ?? null), logs };
    if (isResolverError(error)) return { error: { message: error.appSyncError.message }, logs };
    if (error instanceof CodeError) return { error: { message: error.message }, logs };
    throw error;
  }
}
