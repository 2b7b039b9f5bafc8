import type * as Types from './graphql.ts';

/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type BlobFieldsFragment = { id: string, owner: string, status: Types.BlobStatus, contentType: string | null, size: number | null, minConfidence: number, maxLabels: number, createdAt: string, updatedAt: string, uploadExpiresAt: string, labelledAt: string | null, labels: Array<{ name: string, confidence: number, parents: Array<string>, aliases: Array<string>, categories: Array<string>, instances: Array<{ confidence: number, boundingBox: { left: number, top: number, width: number, height: number } }> }> | null, error: { code: string, message: string, retryable: boolean } | null, callback: { url: string, status: Types.CallbackStatus, attempts: number, lastAttemptAt: string | null, lastError: string | null, deliveredAt: string | null } | null };

export type PublishBlobResultMutationVariables = Exact<{
  input: Types.BlobResultInput;
}>;


export type PublishBlobResultMutation = { publishBlobResult: { id: string, owner: string, status: Types.BlobStatus, contentType: string | null, size: number | null, minConfidence: number, maxLabels: number, createdAt: string, updatedAt: string, uploadExpiresAt: string, labelledAt: string | null, labels: Array<{ name: string, confidence: number, parents: Array<string>, aliases: Array<string>, categories: Array<string>, instances: Array<{ confidence: number, boundingBox: { left: number, top: number, width: number, height: number } }> }> | null, error: { code: string, message: string, retryable: boolean } | null, callback: { url: string, status: Types.CallbackStatus, attempts: number, lastAttemptAt: string | null, lastError: string | null, deliveredAt: string | null } | null } | null };
