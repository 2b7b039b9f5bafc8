// The typed operations of the API, bound to one endpoint, one authorization and one transport.
import type { AuthProvider } from './auth.js';
import { realtimeUrlFor } from './config.js';
import { ImageLabelsError } from './errors.js';
import {
  CreateBlobDocument,
  DeleteBlobDocument,
  GetBlobDocument,
  GetBlobImageDocument,
  LabelsReadyDocument,
  ListBlobsDocument,
  RedeliverCallbackDocument,
  type BlobFieldsFragment,
  type CreateBlobInput,
} from './generated/operations.js';
import { executeGraphQL } from './graphql.js';
import { checkImage, type CheckedImage, type ImageInput } from './image.js';
import { labelImage, type LabelImageOptions } from './label-image.js';
import { storageError } from './storage-error.js';
import { subscribeLive, type LiveSubscription, type LiveSubscriptionHandlers } from './subscription.js';
import type { BackoffSettings } from './backoff.js';
import type { Transport } from './transport.js';
import type { TypedDocument } from './typed-document.js';

/** A blob as the client reads it (every field of the schema's Blob but imageUrl). */
export type ImageBlob = BlobFieldsFragment;

/** Where and how to send the image: every header must go with it (they are signed into the URL). */
export interface UploadTicket {
  url: string;
  method: string;
  headers: Record<string, string>;
  expiresAt: string;
}

export interface CreatedBlob {
  blob: ImageBlob;
  upload: UploadTicket;
}

export interface BlobPage {
  items: ImageBlob[];
  nextToken: string | null;
}

export interface CallOptions {
  signal?: AbortSignal;
}

/** For documents holding several operations: which one runs. */
export interface OperationOptions extends CallOptions {
  operationName?: string;
}

export interface UploadOptions extends CallOptions {
  onProgress?(loaded: number, total: number): void;
}

export interface ClientOptions {
  /** The GraphQL endpoint (amplify_outputs.json: data.url). */
  graphqlUrl: string;
  /** Default: derived from graphqlUrl as AppSync does. */
  realtimeUrl?: string;
  auth: AuthProvider;
}

export interface ImageLabelsClient {
  readonly graphqlUrl: string;
  readonly realtimeUrl: string;
  /** Any operation: a generated document, or a string cast to TypedDocument<Result, Variables>. */
  graphql<TResult, TVariables>(document: TypedDocument<TResult, TVariables>, variables: TVariables, options?: OperationOptions): Promise<TResult>;
  createBlob(input: CreateBlobInput, options?: CallOptions): Promise<CreatedBlob>;
  /** null: no such blob for this caller (never created, deleted, or another user's). */
  getBlob(id: string, options?: CallOptions): Promise<ImageBlob | null>;
  /** The owner's short-lived download URL of the image; null while there is no image to show (or for others). */
  getImageUrl(id: string, options?: CallOptions): Promise<string | null>;
  listBlobs(page?: { limit?: number; nextToken?: string | null }, options?: CallOptions): Promise<BlobPage>;
  deleteBlob(id: string, options?: CallOptions): Promise<ImageBlob | null>;
  /** Fails with TooManyRequests (info.retryAfterSeconds) when sent again too soon. */
  redeliverCallback(id: string, options?: CallOptions): Promise<ImageBlob | null>;
  /** PUTs the image with every header of the ticket; S3's refusals become errors with S3's code. */
  upload(ticket: UploadTicket, image: ImageInput | CheckedImage, options?: UploadOptions): Promise<void>;
  /** Any subscription: resolves at start_ack; reconnects a dropped socket until closed. */
  subscribe<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    variables: TVariables,
    handlers: LiveSubscriptionHandlers<TResult>,
    options?: OperationOptions & { reconnect?: BackoffSettings },
  ): Promise<LiveSubscription>;
  /** Resolves at start_ack; reconnects a dropped socket until closed. */
  subscribeLabelsReady(
    id: string,
    handlers: LiveSubscriptionHandlers<ImageBlob>,
    options?: CallOptions & { reconnect?: BackoffSettings },
  ): Promise<LiveSubscription>;
  /** Creates, subscribes, uploads and waits: the blob in its final state (LABELLED, FAILED, REJECTED, DELETED, EXPIRED). */
  labelImage(image: ImageInput, options?: LabelImageOptions): Promise<ImageBlob>;
}

function parseHeaders(value: string): Record<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    parsed = null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ImageLabelsError('GraphQL', 'InvalidResponse', 'upload.headers is not a JSON object');
  }
  return Object.fromEntries(Object.entries(parsed).map(([name, header]) => [name, String(header)]));
}

function isChecked(image: ImageInput | CheckedImage): image is CheckedImage {
  return typeof image === 'object' && image !== null && 'contentType' in image && 'body' in image && 'size' in image;
}

/** The client for one endpoint; `transport` is the platform's (index.ts: the browser's, node.ts: Node's). */
export function createClientWith(options: ClientOptions, transport: Transport): ImageLabelsClient {
  const endpoint = {
    graphqlUrl: options.graphqlUrl,
    realtimeUrl: options.realtimeUrl ?? realtimeUrlFor(options.graphqlUrl),
    auth: options.auth,
    transport,
  };
  const graphql = <TResult, TVariables>(document: TypedDocument<TResult, TVariables>, variables: TVariables, call: OperationOptions = {}) =>
    executeGraphQL(endpoint, document, variables, call.signal, call.operationName);

  const client: ImageLabelsClient = {
    graphqlUrl: endpoint.graphqlUrl,
    realtimeUrl: endpoint.realtimeUrl,
    graphql,
    async createBlob(input, call) {
      const { createBlob } = await graphql(CreateBlobDocument, { input }, call);
      return { blob: createBlob.blob, upload: { ...createBlob.upload, headers: parseHeaders(createBlob.upload.headers) } };
    },
    async getBlob(id, call) {
      return (await graphql(GetBlobDocument, { id }, call)).blob;
    },
    async getImageUrl(id, call) {
      return (await graphql(GetBlobImageDocument, { id }, call)).blob?.imageUrl ?? null;
    },
    async listBlobs(page = {}, call) {
      const { blobs } = await graphql(ListBlobsDocument, { limit: page.limit, nextToken: page.nextToken ?? undefined }, call);
      return { items: blobs.items, nextToken: blobs.nextToken };
    },
    async deleteBlob(id, call) {
      return (await graphql(DeleteBlobDocument, { id }, call)).deleteBlob;
    },
    async redeliverCallback(id, call) {
      return (await graphql(RedeliverCallbackDocument, { id }, call)).redeliverCallback;
    },
    async upload(ticket, image, call = {}) {
      const checked = isChecked(image) ? image : await checkImage(image);
      const response = await transport.put({
        url: ticket.url,
        method: ticket.method,
        headers: ticket.headers,
        body: checked.body,
        size: checked.size,
        onProgress: (loaded, total) => call.onProgress?.(loaded, total),
        signal: call.signal,
      });
      if (response.status < 200 || response.status >= 300) throw storageError(response.status, response.text);
    },
    subscribe(document, variables, handlers, call = {}) {
      return subscribeLive(endpoint, document, variables, handlers, call);
    },
    subscribeLabelsReady(id, handlers, call = {}) {
      return subscribeLive(endpoint, LabelsReadyDocument, { id }, {
        onData: (data) => {
          if (data.labelsReady) handlers.onData(data.labelsReady);
        },
        onDropped: handlers.onDropped,
        onReconnected: handlers.onReconnected,
      }, call);
    },
    labelImage: (image, labelOptions) => labelImage(client, image, labelOptions),
  };
  return client;
}
