// Who is calling, and which blobs they may see. Every resolver that reads or changes a blob goes through here.
import { util, type AppSyncIdentityCognito, type AppSyncIdentityIAM, type Identity } from '@aws-appsync/utils';
import { ADMINS_GROUP, type BlobRecord } from '../../domain/blob.ts';

export interface Caller {
  /** What `owner` holds on the caller's blobs: the user pool `sub`, or the IAM principal (see iamOwner). */
  owner: string;
  /** A member of the user pool group `admins`: may read and list every blob. */
  admin: boolean;
}

/**
 * An assumed role's ARN names the session too (`…:assumed-role/<role>/<session>`), and a back end on Lambda gets a
 * new session per instance: its blobs belong to the role, so the session is dropped.
 */
export function iamOwner(userArn: string): string {
  if (userArn.indexOf(':assumed-role/') < 0) {
    return userArn;
  }
  return userArn.split('/').slice(0, 2).join('/');
}

/** The caller of a user pool (sub) or IAM (ARN) request; anyone else (no identity) is refused. */
export function callerOf(identity: Identity): Caller {
  const user = identity as AppSyncIdentityCognito | null | undefined;
  if (user && user.sub && user.issuer) {
    const groups = user.groups ?? [];
    return { owner: user.sub, admin: groups.includes(ADMINS_GROUP) };
  }
  const principal = identity as AppSyncIdentityIAM | null | undefined;
  if (principal && principal.userArn) {
    return { owner: iamOwner(principal.userArn), admin: false };
  }
  return util.unauthorized();
}

/** Owners see their blobs, admins see every blob; anyone else sees nothing, exactly as if the blob did not exist. */
export function canRead(caller: Caller, record: Pick<BlobRecord, 'owner'> | null | undefined): boolean {
  return !!record && (record.owner === caller.owner || caller.admin);
}

/** Changes (delete, redeliver) are the owner's alone. */
export function canChange(caller: Caller, record: Pick<BlobRecord, 'owner'> | null | undefined): boolean {
  return !!record && record.owner === caller.owner;
}

/** One of the functions that publish results (publisherPrincipals): nobody else, whatever IAM allowed. */
export function isPublisher(identity: Identity, publishers: readonly string[]): boolean {
  const principal = identity as AppSyncIdentityIAM | null | undefined;
  return !!principal && !!principal.userArn && publishers.includes(iamOwner(principal.userArn));
}
