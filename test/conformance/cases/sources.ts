// Where the expectations come from. Every case names one of these (with the entry it was read from).

/** Snapshots that localstack/appsync-utils records from AppSync's EvaluateCode API (`npm run test:aws` = jest -u against AWS). */
export const recorded = (snapshot: 'index' | 'resolvers' | 'transform' | 'transform-subscription' | 'authType', entry: string) =>
  `AWS-recorded EvaluateCode result: github.com/localstack/appsync-utils __tests__/__snapshots__/${snapshot}.test.js.snap, "${entry}"`;

const docs = 'https://docs.aws.amazon.com/appsync/latest/devguide';

/** A page of the AppSync developer guide. */
export const doc = (page: string, section: string) => `AWS documentation: ${docs}/${page}.html (${section})`;

/** AppSync's own ESLint plugin (@aws-appsync/eslint-plugin 2.x): rules that name what the runtime refuses. */
export const eslintRule = (rule: string, detail: string) => `AWS @aws-appsync/eslint-plugin rule ${rule} (${detail})`;

/** A resolver from AWS's samples, which AppSync runs as written. */
export const sample = (file: string) => `AWS sample: github.com/aws-samples/aws-appsync-resolver-samples ${file}`;
