// A bundling-time stand-in for @aws-sdk/credential-provider-node's `defaultProvider`, for Lambda bundles only
// (esbuild `alias`, see scripts/measure-bundles.ts and docs/functions.md).
// Lambda hands a function its execution role's credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
// AWS_SESSION_TOKEN, which is the first link of the SDK's default chain and the only one that answers in Lambda.
// The rest of the chain (SSO, STS web identity, INI files, process, IMDS, login) weighs about 100 KB minified.
// Tests and the local cloud run the sources, with the SDK's full chain.

export interface LambdaCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export function defaultProvider(): () => Promise<LambdaCredentials> {
  return async () => {
    const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      throw new Error('No credentials: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set (Lambda sets them)');
    }
    return { accessKeyId, secretAccessKey, sessionToken: process.env.AWS_SESSION_TOKEN || undefined };
  };
}
