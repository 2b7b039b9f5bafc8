// The roles in the local cloud: each function's (functions/manifest.ts) and each DynamoDB data source's of the API
// (resolvers/manifest.ts), with the same statements as the stack's, the symbolic resources mapped to the local cloud's
// ARNs, and one key pair per role, derived from a seed kept in the data directory (so that a presigned URL outlives a
// restart, as it does in AWS while its signer's key is valid).
import { createHmac } from 'node:crypto';
import { BLOBS_BY_OWNER_INDEX } from '../../domain/blob.ts';
import type { ResourceName } from '../../domain/resources.ts';
import type { FunctionSpec } from '../../functions/manifest.ts';
import type { DataSourceSpec } from '../../resolvers/manifest.ts';
import type { KeyPair, Role } from './access.ts';

export interface LocalResources {
  region: string;
  accountId: string;
  bucket: string;
  /** Prefix of the uploads' keys: `{stage}/`. */
  stage: string;
  table: string;
  uploadQueue: string;
  apiId: string;
  webhookSecretName: string;
}

/** The ARN of each resource the manifests name, in the local cloud. */
export function localResourceArns(local: LocalResources): Record<ResourceName, string> {
  const { region, accountId } = local;
  const table = `arn:aws:dynamodb:${region}:${accountId}:table/${local.table}`;
  return {
    uploadObjects: `arn:aws:s3:::${local.bucket}/${local.stage}/*`,
    blobsTable: table,
    blobsByOwnerIndex: `${table}/index/${BLOBS_BY_OWNER_INDEX}`,
    uploadQueue: `arn:aws:sqs:${region}:${accountId}:${local.uploadQueue}`,
    webhookSecret: `arn:aws:secretsmanager:${region}:${accountId}:secret:${local.webhookSecretName}`,
    'Mutation.publishBlobResult': `arn:aws:appsync:${region}:${accountId}:apis/${local.apiId}/types/Mutation/fields/publishBlobResult`,
    '*': '*',
  };
}

/**
 * The key pair of a service's principal (a function's role for Lambda, a data source's role for AppSync): a readable
 * access key id, a secret only the seed's holder can derive.
 */
function serviceCredentials(service: 'lambda' | 'appsync', name: string, seed: string): KeyPair {
  return {
    accessKeyId: `LOCAL${service.toUpperCase()}${name.replace(/[^A-Za-z0-9]/g, '').toUpperCase()}`,
    secretAccessKey: createHmac('sha256', seed).update(`${service}:${name}`).digest('base64url'),
  };
}

/** The role of each function, named as the stack would: image-labels-<stage>-<function>. */
export function functionRoles(
  functions: Readonly<Record<string, FunctionSpec>>,
  arns: Record<ResourceName, string>,
  options: { accountId: string; stage: string; keySeed: string },
): Map<string, Role> {
  return new Map(
    Object.entries(functions).map(([name, spec]) => {
      const roleName = `image-labels-${options.stage}-${name}`;
      return [name, {
        // Lambda's credentials are a session of the function's role, named after the function.
        arn: `arn:aws:sts::${options.accountId}:assumed-role/${roleName}/${roleName}`,
        credentials: serviceCredentials('lambda', name, options.keySeed),
        statements: spec.permissions.map((permission) => ({ actions: permission.actions, resources: [arns[permission.resource]] })),
      }];
    }),
  );
}

/** The service role of each DynamoDB data source, allowed what its manifest entry declares; AppSync assumes it for every call. */
export function dataSourceRoles(
  dataSources: Readonly<Record<string, DataSourceSpec>>,
  arns: Record<ResourceName, string>,
  options: { accountId: string; stage: string; keySeed: string },
): Map<string, Role> {
  return new Map(
    Object.entries(dataSources).flatMap(([name, spec]) => {
      if (spec.kind !== 'DYNAMODB') return [];
      const roleName = `image-labels-${options.stage}-appsync-${name}`;
      const role: Role = {
        // AppSync's session of a data source's role.
        arn: `arn:aws:sts::${options.accountId}:assumed-role/${roleName}/APPSYNC_ASSUME_ROLE`,
        credentials: serviceCredentials('appsync', name, options.keySeed),
        statements: spec.permissions.map((permission) => ({ actions: permission.actions, resources: [arns[permission.resource]] })),
      };
      return [[name, role] as const];
    }),
  );
}
