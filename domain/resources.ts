// The resources the service's code acts on, by symbolic name, and a permission on one of them. The function manifest
// (functions/manifest.ts) and the resolver manifest (resolvers/manifest.ts) grant in these terms; each cloud maps a
// name to an ARN of its own (infra/image-labels-stack.ts for AWS, local/iam/resources.ts for the local cloud).
// Adding a name makes both clouds map it: a type error until they do.

export type ResourceName =
  /** The uploaded objects of this stage: `<bucket>/{stage}/*`. */
  | 'uploadObjects'
  /** The blobs table itself (not its indexes). */
  | 'blobsTable'
  /** The owner index of the blobs table (domain/blobs-table.ts). */
  | 'blobsByOwnerIndex'
  /** The queue of S3 upload events. */
  | 'uploadQueue'
  /** The webhook signing secret in Secrets Manager. */
  | 'webhookSecret'
  /** The API's IAM-only publish mutation. */
  | 'Mutation.publishBlobResult'
  /** Every resource: only for actions that have no resource-level permissions. */
  | '*';

/** Actions allowed on one resource: one IAM statement. */
export interface Permission {
  actions: readonly string[];
  resource: ResourceName;
}
