// Runs a conformance case through an EvaluateCode implementation (local or AppSync's) and compares the answer
// with what AWS recorded or documented.
import { isDeepStrictEqual } from 'node:util';
import type { ConformanceCase } from './case.ts';

/** EvaluateCode's answer, as both the local runtime and AppSync give it. */
export interface EvaluateAnswer {
  evaluationResult?: string;
  error?: { message: string };
}

export interface CaseOutcome {
  match: boolean;
  /** What differs, for the report (empty on a match). */
  diff: string;
}

/** A Code error's message starts with where it happened (`code.js:3:5: ` in AppSync); that part is not compared. */
export const withoutPosition = (message: string) => message.replace(/^\S+:\d+:\d+: /, '');

function describe(answer: EvaluateAnswer): string {
  return answer.error ? `error ${JSON.stringify(answer.error.message)}` : `result ${answer.evaluationResult}`;
}

export function compareAnswer(testCase: ConformanceCase, answer: EvaluateAnswer): CaseOutcome {
  const expect = testCase.expect;
  const got = describe(answer);
  const outcome = (match: boolean, wanted: string): CaseOutcome => ({ match, diff: match ? '' : `expected ${wanted}, got ${got}` });
  if ('refused' in expect) return outcome(answer.error !== undefined, 'the code to be refused');
  if ('runs' in expect) return outcome(answer.error === undefined, 'the code to run');
  if ('error' in expect) return outcome(answer.error !== undefined && withoutPosition(answer.error.message) === expect.error, `error ${JSON.stringify(expect.error)}`);
  if (answer.evaluationResult === undefined) return outcome(false, 'a result');
  if ('resultMatches' in expect) return outcome(new RegExp(expect.resultMatches).test(answer.evaluationResult), `a result matching /${expect.resultMatches}/`);
  const parsed: unknown = JSON.parse(answer.evaluationResult);
  return outcome(isDeepStrictEqual(parsed, expect.result), `result ${JSON.stringify(expect.result)}`);
}
