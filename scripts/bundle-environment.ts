// The environment a bundled handler is loaded with outside Lambda (scripts/measure-bundles.ts, bench/cold-import.ts):
// every variable a handler may require at import, set to a placeholder, and credentials in the environment as
// Lambda provides them (the first link of the SDK's chain; the bundles leave the others out).
export const BUNDLE_CHECK_ENVIRONMENT: Readonly<Record<string, string>> = {
  TABLE_NAME: 'blobs',
  BUCKET_NAME: 'uploads',
  APPSYNC_GRAPHQL_URL: 'https://example.appsync-api.eu-west-1.amazonaws.com/graphql',
  AWS_REGION: 'eu-west-1',
  WEBHOOK_SECRET: `whsec_${Buffer.alloc(32).toString('base64')}`,
  UPLOAD_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/uploads',
  LOG_LEVEL: 'SILENT',
  AWS_ACCESS_KEY_ID: 'AKIDBUNDLECHECK',
  AWS_SECRET_ACCESS_KEY: 'bundle-check-secret',
};
