// AWS IAM (SigV4) authorization, for trusted back ends: `@image-labels/client/iam`, a separate entry point so that
// apps using user pools do not carry the signer. Credentials as the AWS SDK gives them (an object, or a provider
// such as fromNodeProviderChain() from @aws-sdk/credential-providers).
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AuthProvider, AuthRequest } from './auth.js';

export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface IamAuthOptions {
  /** The API's region (amplify_outputs.json: data.aws_region). */
  region: string;
  credentials: AwsCredentials | (() => Promise<AwsCredentials>);
}

export function iamAuth(options: IamAuthOptions): AuthProvider {
  const signer = new SignatureV4({
    service: 'appsync',
    region: options.region,
    credentials: typeof options.credentials === 'function' ? options.credentials : async () => options.credentials as AwsCredentials,
    sha256: Sha256,
  });
  return {
    mode: 'AWS_IAM',
    async authorize(request: AuthRequest) {
      const url = new URL(request.url);
      const signed = await signer.sign({
        method: 'POST',
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port === '' ? undefined : Number(url.port),
        path: url.pathname,
        query: {},
        headers: { ...request.headers, host: url.host },
        body: request.body,
      });
      return signed.headers;
    },
    // Credentials providers refresh by themselves; a refused signature stays refused.
    async refresh() {
      return false;
    },
  };
}
