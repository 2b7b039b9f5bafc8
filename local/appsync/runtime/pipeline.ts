// Runs one field the way AppSync runs it.
// Unit: request → data source → response.
// Pipeline: resolver request → for each function: request → data source → response → resolver response.
// - ctx.stash is one object for the whole resolver; ctx.prev.result is the previous step's result.
// - runtime.earlyReturn(value) in a function's request handler skips its data source and response handler
//   (skipTo NEXT, the default) or every remaining function (skipTo END); in the resolver's request handler it
//   skips all functions. In a unit resolver's request handler it skips the data source and the response.
// - util.error anywhere ends the field: data null, one error (after those util.appendError added).
// - A data source error only sets ctx.error: the response handler decides (AppSync does not raise it).
// - A JavaScript error in resolver code ends the field with errorType "Code".
// - Request objects and results cross to the data source and between steps as JSON, as in AppSync.
// - Once the invocation's signal is aborted, no further handler or data source call starts: the field fails with
//   the signal's reason (what the server reports), so a request that was given up does no more work.
import { abortError } from './abort.ts';
import { isEarlyReturn, isResolverError, type EarlyReturn } from './signals.ts';
import { withInvocation, type InvocationState } from './invocation.ts';
import { CodeError, type LoadedHandlers } from './sandbox.ts';
import { InvalidRequestError, type DataSourceOutcome } from './data-sources/types.ts';
import type { AppSyncError, FieldInvocation, FieldResolution } from './types.ts';
import type { RuntimeLogger } from './util/index.ts';

export interface CompiledStep {
  name: string;
  handlers: LoadedHandlers;
  dataSource: string;
}

export type CompiledResolver =
  | { kind: 'UNIT'; handlers: LoadedHandlers; dataSource: string }
  | { kind: 'PIPELINE'; handlers: LoadedHandlers; steps: CompiledStep[] };

export type InvokeDataSource = (dataSource: string, request: unknown) => Promise<DataSourceOutcome>;

/** Ends the field with one error. */
class FieldFailure extends Error {
  constructor(readonly error: AppSyncError) {
    super(error.message);
  }
}

const isSignal = (error: unknown) => isResolverError(error) || isEarlyReturn(error);

/** A JSON copy: what survives AppSync's serialisation (undefined → null at the top, dropped inside). */
export function asJson(value: unknown): unknown {
  if (value === undefined) return null;
  const text = JSON.stringify(value);
  return text === undefined ? null : JSON.parse(text);
}

interface Ctx {
  arguments: Record<string, unknown>;
  args: Record<string, unknown>;
  identity: unknown;
  source: unknown;
  stash: Record<string, unknown>;
  request: unknown;
  info: unknown;
  env: Record<string, string>;
  prev?: { result: unknown };
  result?: unknown;
  error?: { message: string; type: string };
}

export class FieldExecution {
  private readonly stash: Record<string, unknown> = {};
  private readonly args: Record<string, unknown>;

  constructor(
    private readonly invocation: FieldInvocation,
    private readonly state: InvocationState,
    private readonly invokeDataSource: InvokeDataSource,
    private readonly logger: RuntimeLogger,
    private readonly env: Readonly<Record<string, string>> = {},
  ) {
    this.args = asJson(invocation.arguments) as Record<string, unknown>;
  }

  private context(prev?: unknown): Ctx {
    const { identity, source, request, info } = this.invocation;
    const ctx: Ctx = { arguments: this.args, args: this.args, identity, source, stash: this.stash, request, info, env: { ...this.env } };
    if (prev !== undefined) ctx.prev = { result: prev };
    return ctx;
  }

  private stopIfAborted(): void {
    const { signal } = this.invocation;
    if (signal?.aborted) throw new FieldFailure(abortError(signal));
  }

  /** Calls a handler; util.error / Code errors become a FieldFailure, earlyReturn comes back as a value. */
  private call(handlers: LoadedHandlers, which: 'request' | 'response', ctx: Ctx): { value: unknown } | { early: EarlyReturn } {
    this.stopIfAborted();
    try {
      return { value: withInvocation(this.state, () => handlers.call(which, ctx, isSignal)) };
    } catch (error) {
      if (isEarlyReturn(error)) return { early: error };
      if (isResolverError(error)) throw new FieldFailure(error.appSyncError);
      if (error instanceof CodeError) {
        this.logger.error(`resolver code failed: ${error.message}`, { resolver: handlers.code, handler: which });
        throw new FieldFailure({ message: error.message, errorType: 'Code', data: null, errorInfo: null });
      }
      throw error;
    }
  }

  private async dataSource(name: string, request: unknown, code: string): Promise<DataSourceOutcome> {
    this.stopIfAborted();
    try {
      const outcome = await this.invokeDataSource(name, asJson(request));
      if (outcome.error) {
        this.logger.debug(`data source ${name} returned ${outcome.error.type}: ${outcome.error.message}`, { resolver: code });
      }
      return outcome;
    } catch (error) {
      if (error instanceof InvalidRequestError) {
        throw new FieldFailure({ message: error.message, errorType: 'MappingTemplate', data: null, errorInfo: null });
      }
      throw error;
    }
  }

  /** request → data source → response of one unit resolver or pipeline function. */
  private async runStep(handlers: LoadedHandlers, dataSource: string, prev: unknown): Promise<{ value: unknown; skipTo?: 'END' | 'NEXT' }> {
    const ctx = this.context(prev);
    const request = this.call(handlers, 'request', ctx);
    if ('early' in request) return { value: asJson(request.early.value), skipTo: request.early.skipTo };
    const outcome = await this.dataSource(dataSource, request.value, handlers.code);
    ctx.result = asJson(outcome.result);
    if (outcome.error) ctx.error = { message: outcome.error.message, type: outcome.error.type };
    const response = this.call(handlers, 'response', ctx);
    if ('early' in response) return { value: asJson(response.early.value), skipTo: response.early.skipTo };
    return { value: asJson(response.value) };
  }

  async run(resolver: CompiledResolver): Promise<FieldResolution> {
    try {
      let data: unknown;
      if (resolver.kind === 'UNIT') {
        data = (await this.runStep(resolver.handlers, resolver.dataSource, undefined)).value;
      } else {
        const start = this.call(resolver.handlers, 'request', this.context());
        let prev = asJson('early' in start ? start.early.value : start.value);
        if (!('early' in start)) {
          for (const step of resolver.steps) {
            const outcome = await this.runStep(step.handlers, step.dataSource, prev);
            prev = outcome.value;
            if (outcome.skipTo === 'END') break;
          }
        }
        const end = this.call(resolver.handlers, 'response', this.context(prev));
        data = asJson('early' in end ? end.early.value : end.value);
      }
      return this.resolution(data, []);
    } catch (error) {
      if (error instanceof FieldFailure) return this.resolution(null, [error.error]);
      throw error;
    }
  }

  private resolution(data: unknown, errors: AppSyncError[]): FieldResolution {
    const resolution: FieldResolution = { data, errors: [...this.state.appendedErrors, ...errors] };
    if (this.state.invalidations.length > 0) resolution.invalidations = asJson(this.state.invalidations) as FieldResolution['invalidations'];
    if (Object.keys(this.state.responseHeaders).length > 0) resolution.responseHeaders = { ...this.state.responseHeaders };
    return resolution;
  }
}
