// Publishes a final blob through the IAM-only `publishBlobResult` mutation, so that AppSync fires `labelsReady`.
// The request is signed with SigV4 (service `appsync`) using the function's own credentials.
// Subscribers receive only the fields the mutation selects: it selects the BlobFields fragment
// (graphql/blob-fields.graphql), every field of Blob but the per-caller imageUrl; its input, BlobResultInput, carries
// the same fields (a test checks both against schema.graphql), so the blob less imageUrl is the input.
import { Sha256 } from '@aws-crypto/sha256-js';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { type BlobRecord, toBlob } from '../../domain/blob.ts';
import { PUBLISH_BLOB_RESULT } from '../../generated/documents.ts';
import type { Blob } from '../../generated/graphql.ts';
import type { BlobFieldsFragment, PublishBlobResultMutation, PublishBlobResultMutationVariables } from '../../generated/operations.ts';
import { PublishError } from '../commons/errors.ts';

export interface BlobPublisher {
  /** Publishes a stored record as readers see it (toBlob). */
  publish(record: BlobRecord): Promise<BlobFieldsFragment>;
  /** Publishes a blob that has no record any more (a deletion's last event). */
  publishBlob(blob: Blob): Promise<BlobFieldsFragment>;
}

type Credentials = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

export interface AppSyncPublisherOptions {
  graphqlUrl: string;
  region: string;
  /** Defaults to the SDK's chain (the Lambda role's credentials). */
  credentials?: Credentials;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

interface GraphQLResponse {
  data?: Partial<PublishBlobResultMutation> | null;
  errors?: Array<{ message: string; errorType?: string }>;
}

export function createAppSyncPublisher(options: AppSyncPublisherOptions): BlobPublisher {
  const url = new URL(options.graphqlUrl);
  const signer = new SignatureV4({
    service: 'appsync',
    region: options.region,
    credentials: options.credentials ?? defaultProvider(),
    sha256: Sha256,
  });
  const send = options.fetch ?? fetch;
  const now = options.now ?? (() => new Date());

  const publishBlob = async (blob: Blob): Promise<BlobFieldsFragment> => {
    // imageUrl is signed for each reader (resolvers/Blob.imageUrl.ts): never published.
    const { imageUrl: _perReader, ...input } = blob;
    const variables: PublishBlobResultMutationVariables = { input };
    const body = JSON.stringify({ query: PUBLISH_BLOB_RESULT, operationName: 'PublishBlobResult', variables });
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path: url.pathname,
      query: {},
      // `host` is signed; fetch sends the same value (url.host) by itself.
      headers: { host: url.host, 'content-type': 'application/json' },
      body,
    });
    const { host: _host, ...headers } = signed.headers;
    let response: Response;
    try {
      response = await send(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new PublishError(`publishBlobResult could not be sent: ${error instanceof Error ? error.message : String(error)}`, 0);
    }
    const result = await readJson(response);
    const errors = result?.errors ?? [];
    if (!response.ok || errors.length > 0 || !result?.data?.publishBlobResult) {
      const detail = errors.map((error) => `${error.errorType ?? 'Error'}: ${error.message}`).join('; ');
      throw new PublishError(
        `publishBlobResult failed with HTTP ${response.status}${detail ? `: ${detail}` : ''}`,
        response.status,
        errors,
      );
    }
    return result.data.publishBlobResult;
  };
  return {
    publishBlob,
    publish(record) {
      const blob = toBlob(record, now().toISOString());
      if (blob === null) {
        return Promise.reject(new PublishError(`Record ${record.id} is not a blob`, 0));
      }
      return publishBlob(blob);
    },
  };
}

async function readJson(response: Response): Promise<GraphQLResponse | undefined> {
  try {
    return (await response.json()) as GraphQLResponse;
  } catch {
    return undefined;
  }
}
