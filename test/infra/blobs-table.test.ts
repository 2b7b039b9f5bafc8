import type { CfnElement } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { BLOBS_BY_OWNER_INDEX } from '../../domain/blob.ts';
import { synthesize } from './synthesize.ts';

const { stack, template } = synthesize();

describe('the blobs table', () => {
  it('is on demand, keyed by id, with point-in-time recovery', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('expires records through the TTL attribute expiresAt', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it(`lists each owner's blobs newest first through the keys-only index ${BLOBS_BY_OWNER_INDEX}, one partition per owner`, () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'owner', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: BLOBS_BY_OWNER_INDEX,
          KeySchema: [
            { AttributeName: 'owner', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
    });
  });

  it('has no index with one constant partition for every blob', () => {
    const tables = template.findResources('AWS::DynamoDB::Table');
    const indexes = Object.values(tables).flatMap(
      (table) => (table.Properties.GlobalSecondaryIndexes ?? []) as Array<{ KeySchema: Array<{ AttributeName: string }> }>,
    );
    expect(indexes.map((index) => index.KeySchema[0].AttributeName)).not.toContain('entity');
  });

  it('is kept, and protected from deletion, unless the stage is declared disposable', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
  });

  it('is deleted with a disposable stack', () => {
    const { template: disposable } = synthesize({ context: { disposable: 'true' } });

    disposable.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    disposable.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
  });

  it('outputs its name', () => {
    template.hasOutput('TableName', {
      Value: { Ref: stack.getLogicalId(stack.table.node.defaultChild as CfnElement) },
    });
  });
});
