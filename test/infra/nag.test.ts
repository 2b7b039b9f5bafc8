// cdk-nag's AwsSolutions pack runs on every synthesis (infra/app.ts, and test/infra/synthesize.ts for every infra
// test): each finding is fixed, or acknowledged beside its construct with the reason.
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { addNagChecks } from '../../infra/constructs/nag.ts';
import { synthesize } from './synthesize.ts';

interface Acknowledged {
  id: string;
  reason: string;
}

function acknowledgements(app: App): Acknowledged[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({ id, reason }))),
  );
}

describe('the AwsSolutions checks', () => {
  it.each([
    ['the default stage', {}],
    ['a disposable stage', { disposable: 'true' }],
    ['a stage with tracing and its own retention', { stage: 'prod', xray: 'true', logRetentionDays: '90', waf: 'false' }],
  ])('find nothing unexplained in %s', (_name, context) => {
    const { app } = synthesize({ context });

    const reasons = acknowledgements(app);

    expect(reasons.length).toBeGreaterThan(0);
    expect(reasons.filter((acknowledged) => acknowledged.reason.trim().length < 40)).toEqual([]);
  });

  it('stop the synthesis on a finding that is neither fixed nor acknowledged', () => {
    // Arrange: a bucket without access logs, TLS enforcement or public access block.
    const app = new App();
    const stack = new Stack(app, 'Careless');
    new s3.Bucket(stack, 'Bucket');
    addNagChecks(app);

    // Act / Assert
    expect(() => app.synth()).toThrow(/AwsSolutions-S1'/);
  });
});
