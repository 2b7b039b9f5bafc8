// The API's environment variables (AppSync `environmentVariables`, read by resolvers as ctx.env), declared once:
// the CDK stack and the local cloud set them from apiEnvironment(), the resolvers read them here.
import { util } from '@aws-appsync/utils';
import { DEFAULT_UPLOAD_QUOTA_PER_DAY } from '../../domain/blob.ts';

export interface ApiSettings {
  /** The blobs table, for the BatchGetItem that reads a page of blobs. */
  blobsTableName: string;
  /** Uploads each owner may create per UTC day. */
  uploadQuotaPerDay: number;
  /** http:// and loopback callback targets (the local cloud only). */
  callbackAllowHttpLoopback: boolean;
}

export const API_ENVIRONMENT_VARIABLES = {
  blobsTableName: 'BLOBS_TABLE_NAME',
  uploadQuotaPerDay: 'UPLOAD_QUOTA_PER_DAY',
  callbackAllowHttpLoopback: 'CALLBACK_ALLOW_HTTP_LOOPBACK',
  publisherPrincipals: 'PUBLISHER_PRINCIPALS',
} as const;

/** The variables for the API's configuration (AppSync wants strings). */
export function apiEnvironment(settings: ApiSettings): Record<string, string> {
  return {
    [API_ENVIRONMENT_VARIABLES.blobsTableName]: settings.blobsTableName,
    [API_ENVIRONMENT_VARIABLES.uploadQuotaPerDay]: String(settings.uploadQuotaPerDay),
    [API_ENVIRONMENT_VARIABLES.callbackAllowHttpLoopback]: settings.callbackAllowHttpLoopback ? 'true' : 'false',
  };
}

/**
 * Who may call publishBlobResult: the roles of the functions that publish, as `iamOwner` reads a caller
 * (`arn:<partition>:sts::<account>:assumed-role/<role name>`). Set apart from apiEnvironment: the stack knows the
 * roles only once the functions exist, after the API.
 */
export function publisherEnvironment(principals: readonly string[]): Record<string, string> {
  return { [API_ENVIRONMENT_VARIABLES.publisherPrincipals]: principals.join(',') };
}

type Environment = Record<string, string>;

export function blobsTableName(env: Environment): string {
  const name = env[API_ENVIRONMENT_VARIABLES.blobsTableName];
  if (!name) {
    console.error(`the API has no ${API_ENVIRONMENT_VARIABLES.blobsTableName} environment variable`);
    util.error('The request could not be completed', 'InternalError');
  }
  return name;
}

export function uploadQuotaPerDay(env: Environment): number {
  const raw = env[API_ENVIRONMENT_VARIABLES.uploadQuotaPerDay];
  if (!raw) {
    return DEFAULT_UPLOAD_QUOTA_PER_DAY;
  }
  const quota = Number(raw);
  if (!(quota >= 1) || Math.floor(quota) !== quota) {
    console.error(`${API_ENVIRONMENT_VARIABLES.uploadQuotaPerDay} must be a whole number from 1, got ${raw}`);
    util.error('The request could not be completed', 'InternalError');
  }
  return quota;
}

export function callbackAllowHttpLoopback(env: Environment): boolean {
  return env[API_ENVIRONMENT_VARIABLES.callbackAllowHttpLoopback] === 'true';
}

/** The principals of publisherEnvironment; none when the variable is missing (then nobody may publish). */
export function publisherPrincipals(env: Environment): string[] {
  const raw = env[API_ENVIRONMENT_VARIABLES.publisherPrincipals];
  return raw ? raw.split(',') : [];
}
