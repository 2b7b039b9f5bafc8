// Constants the resolvers decide on. APPSYNC_JS code cannot read environment variables, so these are
// fixed here and documented in docs/local-appsync-runtime.md; the functions receive them in payloads.

/** How long a presigned upload URL works, in seconds: the presign function signs for exactly this window. */
export const UPLOAD_URL_TTL_SECONDS = 900;

/** DynamoDB TTL of a record that never receives its upload. */
export const PENDING_RETENTION_SECONDS = 24 * 60 * 60;

/** How long an idempotency key is remembered. */
export const IDEMPOTENCY_RETENTION_SECONDS = 24 * 60 * 60;

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
