// What both entry points export besides createClient.
export { apiKeyAuth, userPoolAuth, type AuthMode, type AuthProvider, type AuthRequest, type TokenSource } from './auth.js';
export type { BackoffSettings } from './backoff.js';
export type {
  BlobPage,
  CallOptions,
  ClientOptions,
  CreatedBlob,
  ImageBlob,
  ImageLabelsClient,
  OperationOptions,
  UploadOptions,
  UploadTicket,
} from './client.js';
export { configFromAmplifyOutputs, realtimeUrlFor, type ApiConfig, type UserPoolSettings } from './config.js';
export {
  ImageLabelsError,
  isQuotaExceeded,
  isTooManyRequests,
  isUnauthorized,
  type ErrorSource,
  type QuotaExceededInfo,
  type TooManyRequestsInfo,
} from './errors.js';
export * from './generated/operations.js';
export { checkImage, MAX_IMAGE_BYTES, sniffContentType, type CheckedImage, type ImageContentType, type ImageInput } from './image.js';
export { BLOB_DELETED, FINAL_STATUSES, type LabelImageOptions, type LabelImageProgress } from './label-image.js';
export type { LiveSubscription, LiveSubscriptionHandlers } from './subscription.js';
export type { HttpResponse, PutRequest, Transport, WebSocketLike } from './transport.js';
export type { TypedDocument } from './typed-document.js';
