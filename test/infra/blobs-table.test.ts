import type { CfnElement } from 'aws-cdk-lib';
import { describe, it } from 'vitest';
import { BLOB_ENTITY, BLOBS_BY_CREATED_AT_INDEX } from '../../domain/blob.ts';
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

  it(`lists ${BLOB_ENTITY} records newest first through the index ${BLOBS_BY_CREATED_AT_INDEX}`, () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'entity', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: BLOBS_BY_CREATED_AT_INDEX,
          KeySchema: [
            { AttributeName: 'entity', KeyType: 'HASH' },
            { AttributeName: 'createdAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('is deleted with a non-production stack', () => {
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
    template.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
  });

  it('outputs its name', () => {
    template.hasOutput('TableName', {
      Value: { Ref: stack.getLogicalId(stack.table.node.defaultChild as CfnElement) },
    });
  });
});
