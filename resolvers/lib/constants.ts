// Constants the resolvers decide on (the deployment's settings come from the API's environment: api-environment.ts).

/** How long a presigned upload URL works, in seconds: the presign function signs for exactly this window. */
export const UPLOAD_URL_TTL_SECONDS = 900;

/** DynamoDB TTL of a record that never receives its upload. */
export const PENDING_RETENTION_SECONDS = 24 * 60 * 60;

/** How long an idempotency key is remembered. */
export const IDEMPOTENCY_RETENTION_SECONDS = 24 * 60 * 60;

/** A quota counter outlives its UTC day by one day, then DynamoDB's TTL removes it. */
export const QUOTA_RETENTION_SECONDS = 2 * 24 * 60 * 60;

/** redeliverCallback may send a blob's webhook again once this long has passed since its last attempt. */
export const REDELIVERY_COOLDOWN_SECONDS = 60;

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
