// APPSYNC_JS conformance: AWS-documented and AWS-recorded cases through the local runtime. Each case names its source.
import { describe, expect, it } from 'vitest';
import { conformanceCases } from './cases/index.ts';
import { runLocally } from './run-local.ts';

describe('the local APPSYNC_JS runtime answers as AppSync does', () => {
  for (const testCase of conformanceCases) {
    it(`${testCase.name} — ${testCase.source}`, () => {
      const outcome = runLocally(testCase);
      expect(outcome.diff).toBe('');
      expect(outcome.match).toBe(true);
    });
  }
});
