// Which code resolves which field, through which data source.
// Read by the CDK stack (infra/) and by the local AppSync (local/appsync/): one list, two clouds.
// `code` names a file under resolvers/ without extension; its bundle is dist/resolvers/<code>.js.
// A Lambda data source names a function of functions/manifest.ts (the build checks that it exists there); a DynamoDB
// data source says what the resolvers do with its table, and its role may do exactly that.
import type { Permission } from '../domain/resources.ts';

export type DataSourceName = 'blobsTable' | 'presignUpload' | 'presignImage' | 'deleteObject' | 'announceDeletion' | 'deliverCallback' | 'none';

export type DataSourceSpec =
  | { kind: 'DYNAMODB'; table: 'blobs'; permissions: readonly Permission[] }
  /** `handler` is the file name under functions/ without extension; it exports `handler`. */
  | { kind: 'LAMBDA'; handler: string }
  | { kind: 'NONE' };

export const dataSources: Record<DataSourceName, DataSourceSpec> = {
  blobsTable: {
    kind: 'DYNAMODB',
    table: 'blobs',
    permissions: [
      { actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchGetItem'], resource: 'blobsTable' },
      // Query.blobs lists an owner's blobs through the owner index, never with a Scan.
      { actions: ['dynamodb:Query'], resource: 'blobsByOwnerIndex' },
    ],
  },
  presignUpload: { kind: 'LAMBDA', handler: 'presign-upload' },
  presignImage: { kind: 'LAMBDA', handler: 'presign-image' },
  deleteObject: { kind: 'LAMBDA', handler: 'delete-object' },
  announceDeletion: { kind: 'LAMBDA', handler: 'announce-deletion' },
  deliverCallback: { kind: 'LAMBDA', handler: 'deliver-callback' },
  none: { kind: 'NONE' },
};

export interface PipelineStep {
  name: string;
  code: string;
  dataSource: DataSourceName;
}

export type ResolverSpec =
  | { typeName: string; fieldName: string; kind: 'UNIT'; code: string; dataSource: DataSourceName }
  | { typeName: string; fieldName: string; kind: 'PIPELINE'; code: string; steps: PipelineStep[] };

/** A unit resolver: resolvers/<Type>.<field>.ts. */
function unit(typeName: string, fieldName: string, dataSource: DataSourceName): ResolverSpec {
  return { typeName, fieldName, kind: 'UNIT', code: `${typeName}.${fieldName}`, dataSource };
}

/** A pipeline resolver: resolvers/<Type>.<field>/index.ts, then its steps in order, [function name, file, data source]. */
function pipeline(typeName: string, fieldName: string, steps: Array<[name: string, file: string, dataSource: DataSourceName]>): ResolverSpec {
  const folder = `${typeName}.${fieldName}`;
  return {
    typeName,
    fieldName,
    kind: 'PIPELINE',
    code: `${folder}/index`,
    steps: steps.map(([name, file, dataSource]) => ({ name, code: `${folder}/${file}`, dataSource })),
  };
}

export const resolvers: ResolverSpec[] = [
  unit('Query', 'blob', 'blobsTable'),
  pipeline('Query', 'blobs', [
    ['queryOwnerIndex', '1-query-owner-index', 'blobsTable'],
    ['readBlobs', '2-read-blobs', 'blobsTable'],
  ]),
  pipeline('Mutation', 'createBlob', [
    ['validateCreateInput', '1-validate-input', 'none'],
    ['findIdempotencyClaim', '2-find-idempotency-claim', 'blobsTable'],
    ['countUpload', '3-count-upload', 'blobsTable'],
    ['claimIdempotencyKey', '4-claim-idempotency-key', 'blobsTable'],
    ['putBlob', '5-put-blob', 'blobsTable'],
    ['presignUpload', '6-presign-upload', 'presignUpload'],
  ]),
  pipeline('Mutation', 'deleteBlob', [
    ['readOwnBlob', '1-read-blob', 'blobsTable'],
    ['deleteUploadedObject', '2-delete-object', 'deleteObject'],
    ['deleteBlobRecord', '3-delete-record', 'blobsTable'],
    ['announceDeletion', '4-announce-deletion', 'announceDeletion'],
  ]),
  // The typed errors (NotFound, NoCallback, NotReady) are raised by the first step: AppSync reports every error a
  // Lambda data source throws as `Lambda:Unhandled`, so a function cannot choose the errorType.
  pipeline('Mutation', 'redeliverCallback', [
    ['checkCallbackReady', '1-check-blob', 'blobsTable'],
    ['deliverCallback', '2-deliver-callback', 'deliverCallback'],
  ]),
  unit('Mutation', 'publishBlobResult', 'none'),
  // The owner's short-lived download URL, signed per request (never stored, never published).
  unit('Blob', 'imageUrl', 'presignImage'),
  unit('Subscription', 'labelsReady', 'blobsTable'),
];
