// Which code resolves which field, through which data source.
// Read by the CDK stack (infra/) and by the local AppSync (local/appsync/): one list, two clouds.
// `code` names a file under resolvers/ without extension; its bundle is dist/resolvers/<code>.js.

export type DataSourceName = 'blobsTable' | 'presignUpload' | 'deleteObject' | 'deliverCallback' | 'none';

export type DataSourceSpec =
  | { kind: 'DYNAMODB'; table: 'blobs' }
  /** `handler` is the file name under functions/ without extension; it exports `handler`. */
  | { kind: 'LAMBDA'; handler: string }
  | { kind: 'NONE' };

export const dataSources: Record<DataSourceName, DataSourceSpec> = {
  blobsTable: { kind: 'DYNAMODB', table: 'blobs' },
  presignUpload: { kind: 'LAMBDA', handler: 'presign-upload' },
  deleteObject: { kind: 'LAMBDA', handler: 'delete-object' },
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
  { typeName: 'Query', fieldName: 'blobs', kind: 'UNIT', code: 'Query.blobs', dataSource: 'blobsTable' },
  {
    typeName: 'Mutation',
    fieldName: 'createBlob',
    kind: 'PIPELINE',
    code: 'Mutation.createBlob/index',
    steps: [
      { name: 'validateCreateInput', code: 'Mutation.createBlob/1-validate-input', dataSource: 'none' },
      { name: 'claimIdempotencyKey', code: 'Mutation.createBlob/2-claim-idempotency-key', dataSource: 'blobsTable' },
      { name: 'putBlob', code: 'Mutation.createBlob/3-put-blob', dataSource: 'blobsTable' },
      { name: 'presignUpload', code: 'Mutation.createBlob/4-presign-upload', dataSource: 'presignUpload' },
    ],
  },
  {
    typeName: 'Mutation',
    fieldName: 'deleteBlob',
    kind: 'PIPELINE',
    code: 'Mutation.deleteBlob/index',
    steps: [
      { name: 'deleteUploadedObject', code: 'Mutation.deleteBlob/1-delete-object', dataSource: 'deleteObject' },
      { name: 'deleteBlobRecord', code: 'Mutation.deleteBlob/2-delete-record', dataSource: 'blobsTable' },
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
  {
    typeName: 'Subscription',
    fieldName: 'labelsReady',
    kind: 'UNIT',
    code: 'Subscription.labelsReady',
    dataSource: 'none',
  },
];
