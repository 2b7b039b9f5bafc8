// The bundled resolvers (dist/resolvers, from `npm run build`) run by the local APPSYNC_JS runtime against a
// real DynamoDB protocol server, with in-process stand-ins for the Lambda data sources that record their events.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  DeleteObjectRequest,
  PresignImageRequest,
  PresignImageResult,
  PresignUploadRequest,
  PresignUploadResult,
} from '../../../domain/lambda-payloads.ts';
import { createResolverRuntime, type LambdaHandler } from '../../../local/appsync/runtime/index.ts';
import type {
  FieldInvocation,
  FieldResolution,
  Identity,
  ResolverRuntime,
  SubscriptionResolution,
} from '../../../local/appsync/runtime/types.ts';
import { DEFAULT_UPLOAD_QUOTA_PER_DAY } from '../../../domain/blob.ts';
import { apiEnvironment, publisherEnvironment, type ApiSettings } from '../../../resolvers/lib/api-environment.ts';
import { startLocalTable, type LocalTable } from './local-table.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BUNDLES_DIR = path.join(root, 'dist/resolvers');

export const T0 = Date.parse('2026-03-01T12:00:00.000Z');

/** ctx.identity of a user pool user, as AppSync fills it. */
export function userIdentity(sub: string, groups: string[] = []): Identity {
  return {
    sub,
    issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool',
    username: sub,
    claims: { sub, 'cognito:username': sub, token_use: 'id', ...(groups.length > 0 ? { 'cognito:groups': groups } : {}) },
    sourceIp: ['203.0.113.7'],
    defaultAuthStrategy: 'ALLOW',
    groups: groups.length > 0 ? groups : null,
  };
}

/** ctx.identity of an IAM caller (a trusted back end), as AppSync fills it. */
export function iamIdentity(userArn: string): Identity {
  return {
    accountId: '123456789012',
    cognitoIdentityPoolId: null,
    cognitoIdentityId: null,
    cognitoIdentityAuthType: null,
    cognitoIdentityAuthProvider: null,
    sourceIp: ['203.0.113.8'],
    username: userArn.split('/').pop() ?? userArn,
    userArn,
  };
}

/** The processing function, as AppSync sees it: a session of its role, which the API's environment names. */
export const PUBLISHER_ROLE = 'arn:aws:sts::123456789012:assumed-role/image-labels-test-process-upload';
export const PUBLISHER = iamIdentity(`${PUBLISHER_ROLE}/image-labels-test-process-upload`);

export const ALICE = userIdentity('a1a1a1a1-0000-4000-8000-000000000001');
export const BOB = userIdentity('b2b2b2b2-0000-4000-8000-000000000002');
export const ADMIN = userIdentity('adadadad-0000-4000-8000-000000000003', ['admins']);

export interface Harness {
  runtime: ResolverRuntime;
  table: LocalTable;
  /** Events each Lambda data source received, by handler name. */
  lambdaEvents: Record<string, unknown[]>;
  /** The runtime's clock (epoch ms); tests move it. */
  clock: { now: number };
  /** Replaces a Lambda stand-in (e.g. to make it fail). */
  lambdas: Record<string, LambdaHandler>;
  /** Resolves a field as `identity` (default ALICE, a user pool user). */
  resolve(typeName: string, fieldName: string, args: Record<string, unknown>, identity?: Identity): Promise<FieldResolution>;
  /** Runs a subscription field's resolver at subscribe time. */
  subscribe(typeName: string, fieldName: string, args: Record<string, unknown>, identity?: Identity): Promise<SubscriptionResolution>;
  /** Empty table, clock at T0, no recorded events, default stand-ins. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

function invocation(typeName: string, fieldName: string, args: Record<string, unknown>, identity: Identity): FieldInvocation {
  return {
    typeName,
    fieldName,
    arguments: args,
    source: null,
    identity,
    request: { headers: {}, domainName: null },
    info: { fieldName, parentTypeName: typeName, variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
  };
}

/** A presign stand-in that signs nothing but echoes what the resolver asked for, as the real one would use it. */
export const fakePresign: LambdaHandler = async (event) => {
  const request = event as PresignUploadRequest;
  const headers: Record<string, string> = { 'content-type': request.contentType };
  if (request.contentLength) headers['content-length'] = String(request.contentLength);
  const result: PresignUploadResult = {
    url: `https://bucket.s3.local/dev/${request.id}?X-Amz-Date=${encodeURIComponent(request.signedAt)}&X-Amz-Signature=test`,
    method: 'PUT',
    headers,
    expiresAt: request.expiresAt,
  };
  return result;
};

/** An image URL stand-in: a recognisable URL for the blob it was asked about. */
export const fakePresignImage: LambdaHandler = async (event) => {
  const request = event as PresignImageRequest;
  const result: PresignImageResult = {
    url: `https://bucket.s3.local/dev/${request.id}?response-content-type=${encodeURIComponent(request.contentType)}&X-Amz-Signature=test`,
    expiresAt: '2026-03-01T12:05:00.000Z',
  };
  return result;
};

/** `settings`: the API's ctx.env; by default as the deployed stack sets it. */
export async function startHarness(settings: Partial<Omit<ApiSettings, 'blobsTableName'>> = {}): Promise<Harness> {
  const table = await startLocalTable();
  const environmentVariables = {
    ...apiEnvironment({
      blobsTableName: table.tableName,
      uploadQuotaPerDay: settings.uploadQuotaPerDay ?? DEFAULT_UPLOAD_QUOTA_PER_DAY,
      callbackAllowHttpLoopback: settings.callbackAllowHttpLoopback ?? false,
    }),
    ...publisherEnvironment([PUBLISHER_ROLE]),
  };
  const clock = { now: T0 };
  const lambdaEvents: Record<string, unknown[]> = {
    'presign-upload': [],
    'presign-image': [],
    'delete-object': [],
    'announce-deletion': [],
    'deliver-callback': [],
  };
  const defaults: Record<string, LambdaHandler> = {
    'presign-upload': fakePresign,
    'presign-image': fakePresignImage,
    'delete-object': async (event) => ({ objectKey: `dev/${(event as DeleteObjectRequest).id}` }),
    'announce-deletion': async () => null,
    'deliver-callback': async () => {
      throw new Error('deliver-callback is not stubbed in this test');
    },
  };
  const lambdas: Record<string, LambdaHandler> = { ...defaults };
  const recording = (name: string): LambdaHandler => async (event) => {
    lambdaEvents[name].push(event);
    return lambdas[name](event);
  };
  const runtime = createResolverRuntime({
    bundlesDir: BUNDLES_DIR,
    dynamodb: { tableName: table.tableName, clientFor: () => table.requests },
    lambdas: Object.fromEntries(Object.keys(lambdaEvents).map((name) => [name, recording(name)])),
    now: () => clock.now,
    environmentVariables,
  });
  return {
    runtime,
    table,
    lambdaEvents,
    clock,
    lambdas,
    resolve(typeName, fieldName, args, identity = ALICE) {
      return runtime.resolveField(invocation(typeName, fieldName, args, identity));
    },
    subscribe(typeName, fieldName, args, identity = ALICE) {
      return runtime.subscribe(invocation(typeName, fieldName, args, identity));
    },
    async reset() {
      await table.reset();
      clock.now = T0;
      for (const events of Object.values(lambdaEvents)) events.length = 0;
      Object.assign(lambdas, defaults);
    },
    close: () => table.close(),
  };
}
