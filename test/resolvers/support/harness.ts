// The bundled resolvers (dist/resolvers, from `npm run build`) run by the local APPSYNC_JS runtime against a
// real DynamoDB protocol server, with in-process stand-ins for the Lambda data sources that record their events.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeleteObjectRequest, PresignUploadRequest, PresignUploadResult } from '../../../domain/lambda-payloads.ts';
import { createResolverRuntime, type LambdaHandler } from '../../../local/appsync/runtime/index.ts';
import type { FieldResolution, Identity, ResolverRuntime } from '../../../local/appsync/runtime/types.ts';
import { startLocalTable, type LocalTable } from './local-table.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const BUNDLES_DIR = path.join(root, 'dist/resolvers');

export const T0 = Date.parse('2026-03-01T12:00:00.000Z');

export interface Harness {
  runtime: ResolverRuntime;
  table: LocalTable;
  /** Events each Lambda data source received, by handler name. */
  lambdaEvents: Record<string, unknown[]>;
  /** The runtime's clock (epoch ms); tests move it. */
  clock: { now: number };
  /** Replaces a Lambda stand-in (e.g. to make it fail). */
  lambdas: Record<string, LambdaHandler>;
  resolve(typeName: string, fieldName: string, args: Record<string, unknown>, identity?: Identity): Promise<FieldResolution>;
  /** Empty table, clock at T0, no recorded events, default stand-ins. */
  reset(): Promise<void>;
  close(): Promise<void>;
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

/** `environmentVariables`: the API's ctx.env; by default as the deployed stack sets it. */
export async function startHarness(environmentVariables: Record<string, string> = { CALLBACK_ALLOW_HTTP_LOOPBACK: 'false' }): Promise<Harness> {
  const table = await startLocalTable();
  const clock = { now: T0 };
  const lambdaEvents: Record<string, unknown[]> = { 'presign-upload': [], 'delete-object': [], 'deliver-callback': [] };
  const defaults: Record<string, LambdaHandler> = {
    'presign-upload': fakePresign,
    'delete-object': async (event) => ({ objectKey: `dev/${(event as DeleteObjectRequest).id}` }),
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
    dynamodb: { client: table.client, tableName: table.tableName },
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
    resolve(typeName, fieldName, args, identity = null) {
      return runtime.resolveField({
        typeName,
        fieldName,
        arguments: args,
        source: null,
        identity,
        request: { headers: {}, domainName: null },
        info: { fieldName, parentTypeName: typeName, variables: {}, selectionSetList: [], selectionSetGraphQL: '' },
      });
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
