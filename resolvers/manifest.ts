// Which code resolves which field, through which data source.
// Read by the CDK stack (infra/) and by the local AppSync (local/appsync/): one list, two clouds.
// `code` names a file under resolvers/ without extension; its bundle is dist/resolvers/<code>.js.

export type DataSourceName = 'blobsTable' | 'presignUpload' | 'presignImage' | 'deleteObject' | 'announceDeletion' | 'deliverCallback' | 'none';

export type DataSourceSpec =
  | { kind: 'DYNAMODB'; table: 'blobs' }
  /** `handler` is the file name under functions/ without extension; it exports `handler`. */
  | { kind: 'LAMBDA'; handler: string }
  | { kind: 'NONE' };

export const dataSources: Record<DataSourceName, DataSourceSpec> = {
  blobsTable: { kind: 'DYNAMODB', table: 'blobs' },
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

export const resolvers: ResolverSpec[] = [
  { typeName: 'Query', fieldName: 'blob', kind: 'UNIT', code: 'Query.blob', dataSource: 'blobsTable' },
  {
    typeName: 'Query',
    fieldName: 'blobs',
    kind: 'PIPELINE',
    code: 'Query.blobs/index',
    steps: [
      { name: 'queryOwnerIndex', code: 'Query.blobs/1-query-owner-index', dataSource: 'blobsTable' },
      { name: 'readBlobs', code: 'Query.blobs/2-read-blobs', dataSource: 'blobsTable' },
    ],
  },
  {
    typeName: 'Mutation',
    fieldName: 'createBlob',
    kind: 'PIPELINE',
    code: 'Mutation.createBlob/index',
    steps: [
      { name: 'validateCreateInput', code: 'Mutation.createBlob/1-validate-input', dataSource: 'none' },
      { name: 'findIdempotencyClaim', code: 'Mutation.createBlob/2-find-idempotency-claim', dataSource: 'blobsTable' },
      { name: 'countUpload', code: 'Mutation.createBlob/3-count-upload', dataSource: 'blobsTable' },
      { name: 'claimIdempotencyKey', code: 'Mutation.createBlob/4-claim-idempotency-key', dataSource: 'blobsTable' },
      { name: 'putBlob', code: 'Mutation.createBlob/5-put-blob', dataSource: 'blobsTable' },
      { name: 'presignUpload', code: 'Mutation.createBlob/6-presign-upload', dataSource: 'presignUpload' },
    ],
  },
  {
    typeName: 'Mutation',
    fieldName: 'deleteBlob',
    kind: 'PIPELINE',
    code: 'Mutation.deleteBlob/index',
    steps: [
      { name: 'readOwnBlob', code: 'Mutation.deleteBlob/1-read-blob', dataSource: 'blobsTable' },
      { name: 'deleteUploadedObject', code: 'Mutation.deleteBlob/2-delete-object', dataSource: 'deleteObject' },
      { name: 'deleteBlobRecord', code: 'Mutation.deleteBlob/3-delete-record', dataSource: 'blobsTable' },
      { name: 'announceDeletion', code: 'Mutation.deleteBlob/4-announce-deletion', dataSource: 'announceDeletion' },
    ],
  },
  {
    typeName: 'Mutation',
    fieldName: 'redeliverCallback',
    kind: 'PIPELINE',
    code: 'Mutation.redeliverCallback/index',
    // The typed errors (NotFound, NoCallback, NotReady) are raised by the first step: AppSync reports every
    // error a Lambda data source throws as `Lambda:Unhandled`, so a function cannot choose the errorType.
    steps: [
      { name: 'checkCallbackReady', code: 'Mutation.redeliverCallback/1-check-blob', dataSource: 'blobsTable' },
      { name: 'deliverCallback', code: 'Mutation.redeliverCallback/2-deliver-callback', dataSource: 'deliverCallback' },
    ],
  },
  {
    typeName: 'Mutation',
    fieldName: 'publishBlobResult',
    kind: 'UNIT',
    code: 'Mutation.publishBlobResult',
    dataSource: 'none',
  },
  { typeName: 'Blob', fieldName: 'imageUrl', kind: 'UNIT', code: 'Blob.imageUrl', dataSource: 'presignImage' },
  {
    typeName: 'Subscription',
    fieldName: 'labelsReady',
    kind: 'UNIT',
    code: 'Subscription.labelsReady',
    dataSource: 'blobsTable',
  },
];
