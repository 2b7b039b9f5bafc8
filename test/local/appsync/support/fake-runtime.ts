// A small ResolverRuntime for the endpoint's tests: canned resolvers for the schema's fields, and a log of
// every invocation so tests can check what the endpoint passed (identity, headers, selection set).
import type {
  AppSyncError,
  FieldInvocation,
  FieldResolution,
  ResolverRuntime,
  SubscriptionResolution,
} from '../../../../local/appsync/runtime/types.ts';

export interface FakeRuntime extends ResolverRuntime {
  invocations: FieldInvocation[];
  subscriptions: FieldInvocation[];
  blobs: Map<string, Record<string, unknown>>;
}

export function blobRecord(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    owner: 'user-1',
    status: 'LABELLED',
    contentType: 'image/jpeg',
    size: 1234,
    minConfidence: 55,
    maxLabels: 20,
    labels: [
      {
        name: 'Cat',
        confidence: 97.5,
        parents: ['Animal'],
        aliases: [],
        categories: ['Animals and Pets'],
        instances: [{ confidence: 97.5, boundingBox: { left: 0.1, top: 0.2, width: 0.3, height: 0.4 } }],
      },
    ],
    error: null,
    callback: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:05.000Z',
    uploadExpiresAt: '2025-01-01T00:15:00.000Z',
    labelledAt: '2025-01-01T00:00:05.000Z',
    ...overrides,
  };
}

const RESOLVED_FIELDS = new Set([
  'Query.blob',
  'Query.blobs',
  'Mutation.createBlob',
  'Mutation.deleteBlob',
  'Mutation.redeliverCallback',
  'Mutation.publishBlobResult',
  'Subscription.labelsReady',
]);

function ok(data: unknown): FieldResolution {
  return { data, errors: [] };
}

function failed(error: AppSyncError): FieldResolution {
  return { data: null, errors: [error] };
}

export function createFakeRuntime(): FakeRuntime {
  const blobs = new Map<string, Record<string, unknown>>();
  const invocations: FieldInvocation[] = [];
  const subscriptions: FieldInvocation[] = [];
  return {
    blobs,
    invocations,
    subscriptions,
    hasResolver: (typeName, fieldName) => RESOLVED_FIELDS.has(`${typeName}.${fieldName}`),
    async resolveField(invocation) {
      invocations.push(invocation);
      const args = invocation.arguments;
      switch (`${invocation.typeName}.${invocation.fieldName}`) {
        case 'Query.blob':
          return ok(blobs.get(String(args.id)) ?? null);
        case 'Query.blobs':
          return ok({ items: [...blobs.values()], nextToken: null });
        case 'Mutation.createBlob': {
          const input = args.input as Record<string, unknown>;
          if (input.contentType !== 'image/jpeg' && input.contentType !== 'image/png') {
            return failed({
              message: 'contentType must be image/jpeg or image/png',
              errorType: 'ValidationError',
              errorInfo: { field: 'contentType' },
            });
          }
          const blob = blobRecord(`blob-${blobs.size + 1}`, { status: 'PENDING_UPLOAD', labels: null });
          blobs.set(String(blob.id), blob);
          return ok({
            blob,
            upload: {
              url: `http://127.0.0.1:9/bucket/dev/${String(blob.id)}`,
              method: 'PUT',
              headers: { 'content-type': input.contentType },
              expiresAt: '2025-01-01T00:15:00.000Z',
            },
          });
        }
        case 'Mutation.deleteBlob': {
          const blob = blobs.get(String(args.id));
          if (args.id === 'invalidate-me') {
            // extensions.invalidateSubscriptions and util.http.addResponseHeader, as the runtime reports them.
            return {
              data: null,
              errors: [],
              invalidations: [{ subscriptionField: 'labelsReady', payload: { id: 'invalidate-me' } }],
              responseHeaders: { 'x-blob-deleted': 'invalidate-me' },
            };
          }
          blobs.delete(String(args.id));
          // Data and an appended error together, as util.appendError produces.
          return {
            data: blob ?? null,
            errors: blob ? [] : [{ message: 'No such blob', errorType: 'NotFound', errorInfo: { id: args.id } }],
          };
        }
        case 'Mutation.redeliverCallback':
          return failed({ message: 'The blob has no callbackUrl', errorType: 'NoCallback', data: { id: args.id } });
        case 'Mutation.publishBlobResult':
          return ok(args.input);
        default:
          return failed({ message: `no fake for ${invocation.typeName}.${invocation.fieldName}`, errorType: 'InternalError' });
      }
    },
    async subscribe(invocation): Promise<SubscriptionResolution> {
      subscriptions.push(invocation);
      const id = String(invocation.arguments.id);
      if (id === 'refused') {
        return { errors: [{ message: 'Subscriptions to this blob are refused', errorType: 'NotFound' }], filter: null };
      }
      const byId = { filterGroup: [{ filters: [{ fieldName: 'id', operator: 'eq', value: id }] }] };
      return { errors: [], filter: byId, invalidationFilter: byId };
    },
  };
}
