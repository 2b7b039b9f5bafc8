// The local half: a case through local/appsync/runtime/evaluate-code.ts.
import { evaluateCode } from '../../local/appsync/runtime/evaluate-code.ts';
import type { ConformanceCase } from './case.ts';
import { compareAnswer, type CaseOutcome } from './check.ts';

export function runLocally(testCase: ConformanceCase): CaseOutcome {
  const now = testCase.now;
  let answer;
  try {
    answer = evaluateCode({
      code: testCase.code,
      context: JSON.stringify(testCase.context ?? {}),
      function: testCase.function ?? 'request',
      ...(now === undefined ? {} : { now: () => now }),
    });
  } catch (error) {
    return { match: false, diff: `the local runtime failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  return compareAnswer(testCase, answer);
}
