// A conformance case: an APPSYNC_JS module, the context one of its handlers runs with, and what AppSync answers,
// taken from AWS's own material only (a documentation example, or a result AppSync's EvaluateCode API returned).
// `source` says where; the same case runs locally (evaluateCode) and, with `npm run conformance -- --aws`, through
// AppSync's EvaluateCode.

export type Expectation =
  /** The handler returns this value (compared as JSON: key order does not matter). */
  | { result: unknown }
  /** The handler's JSON text matches this regular expression (values that depend on the clock or chance). */
  | { resultMatches: string }
  /** The handler fails with this message (a leading `file:line:col: ` position is ignored). */
  | { error: string }
  /** AppSync does not run the code: its checks refuse it, or it fails. */
  | { refused: true }
  /** AppSync runs the code without an error (what it returns is not recorded). */
  | { runs: true };

export interface ConformanceCase {
  /** What is checked, as a sentence. */
  name: string;
  /** Where AWS shows the expectation: a documentation page, or an AWS-recorded EvaluateCode result. */
  source: string;
  code: string;
  function?: 'request' | 'response';
  context?: Record<string, unknown>;
  /** The clock of the local half (epoch ms); EvaluateCode runs on AppSync's clock, so only `resultMatches` is compared there. */
  now?: number;
  expect: Expectation;
}

export const IMPORTS = "import { util, runtime, extensions } from '@aws-appsync/utils';\nimport * as ddb from '@aws-appsync/utils/dynamodb';\n";

/** A module whose request handler returns `expression`, as EvaluateCode recordings are commonly made. */
export function returning(expression: string): string {
  return `${IMPORTS}\nexport function request(ctx) {\n  return ${expression};\n}\n\nexport function response(ctx) {\n  return ctx.result;\n}\n`;
}

/** A module whose request handler is `body` (statements), with a response handler that passes the result on. */
export function requestBody(body: string, helpers = ''): string {
  return `${IMPORTS}\n${helpers}\nexport function request(ctx) {\n${body}\n}\n\nexport function response(ctx) {\n  return ctx.result;\n}\n`;
}

/** Cases that return `expression`, one per row: [name, expression, expectation]. */
export function expressions(source: string, rows: ReadonlyArray<readonly [string, string, Expectation, number?]>): ConformanceCase[] {
  return rows.map(([name, expression, expect, now]) => ({ name, source, code: returning(expression), expect, ...(now === undefined ? {} : { now }) }));
}
