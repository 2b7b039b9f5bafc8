// The table of blob records (and idempotency records), as domain/blob.ts describes it.
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { BLOBS_BY_CREATED_AT_INDEX } from '../../domain/blob.ts';

export interface BlobsTableProps {
  removalPolicy: RemovalPolicy;
}

export class BlobsTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: BlobsTableProps) {
    super(scope, id);
    const retain = props.removalPolicy === RemovalPolicy.RETAIN;

    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      // Epoch seconds; only records still waiting for their upload (and idempotency claims) carry it.
      timeToLiveAttribute: 'expiresAt',
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: retain,
      removalPolicy: props.removalPolicy,
    });

    // Sparse: only blob records carry `entity`, so `blobs` lists them newest first with a Query.
    this.table.addGlobalSecondaryIndex({
      indexName: BLOBS_BY_CREATED_AT_INDEX,
      partitionKey: { name: 'entity', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'createdAt', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.ALL,
    });
  }
}
