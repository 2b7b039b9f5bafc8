// Payloads between resolvers and their Lambda data sources (AppSync `Invoke`: the Lambda receives `payload` as its event).
import type { BlobRecord } from './blob.ts';

export interface PresignUploadRequest {
  id: string;
  contentType: string;
  contentLength?: number | null;
  /** The URL is signed at `signedAt` and stops working at `expiresAt`: a replayed create gets the same validity. */
  signedAt: string;
  expiresAt: string;
}

export interface PresignUploadResult {
  url: string;
  method: 'PUT';
  /** Headers the client must send: the signed Content-Type (and Content-Length when declared). */
  headers: Record<string, string>;
  expiresAt: string;
}

export interface DeleteObjectRequest {
  id: string;
}

export interface DeleteObjectResult {
  objectKey: string;
}

export interface DeliverCallbackRequest {
  id: string;
}

/** The record after the delivery attempt(s), callback state updated. */
export type DeliverCallbackResult = BlobRecord;

/** announce-deletion (invoked in the background by deleteBlob): the record as it was deleted, not in a final state. */
export interface AnnounceDeletionRequest {
  record: BlobRecord;
}

/** Blob.imageUrl: the owner's short-lived download URL of an image that was read. */
export interface PresignImageRequest {
  id: string;
  /** The blob's declared type: the download is served with it, never as anything a browser would run. */
  contentType: string;
}

export interface PresignImageResult {
  url: string;
  expiresAt: string;
}
