// A DynamoDB client for the local cloud's own services (the local AppSync's data sources), as AWS runs them: inside
// the service, as a principal, without a signed HTTPS call. Each request is authorized by the same rule the SigV4
// front applies (local/iam/dynamodb-rules.ts) for the principal's access key, then posted to dynalite's thread,
// which answers it with its own request handler. What the caller sees is what the SDK would give it: the output's
// JSON, or an error with DynamoDB's name, message, status and request id.
import { randomUUID } from 'node:crypto';
import type { Refusal, SignedRequest } from '../iam/aws-json-front.ts';
import { DYNAMODB_TARGET_PREFIX } from '../iam/dynamodb-rules.ts';
import type { DynaliteThread } from './dynalite-thread.ts';

export type DynamoDbOutput = Record<string, unknown>;

/** Runs DynamoDB operations in DynamoDB's JSON protocol (attribute values as on the wire: N as text, B as base64). */
export interface DynamoDbRequests {
  send(operation: string, input: Record<string, unknown>): Promise<DynamoDbOutput>;
}

/** An error DynamoDB answered (or the IAM check in front of it): `name` as DynamoDB's `__type` names it. */
export class DynamoDbServiceError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly status: number,
    readonly requestId: string,
    /** The whole error body (CancellationReasons and the like). */
    readonly details: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export interface DirectClientOptions {
  thread: Pick<DynaliteThread, 'request'>;
  /** The principal the requests run as. */
  accessKeyId: string;
  /** The IAM rule of the DynamoDB front; null lets the request through. */
  authorize(request: SignedRequest): Refusal | null;
}

export function directDynamoDbClient(options: DirectClientOptions): DynamoDbRequests {
  return {
    async send(operation, input) {
      const target = `${DYNAMODB_TARGET_PREFIX}${operation}`;
      const refusal = options.authorize({ accessKeyId: options.accessKeyId, target, body: input });
      if (refusal) throw new DynamoDbServiceError(refusal.type, refusal.message, refusal.status, randomUUID(), { message: refusal.message });
      const answer = await options.thread.request(target, JSON.stringify(input));
      const body = parseBody(answer.body);
      if (answer.status === 200) return body;
      throw errorFrom(answer.status, answer.requestId, body);
    },
  };
}

function parseBody(text: string): DynamoDbOutput {
  if (text === '') return {};
  const parsed: unknown = JSON.parse(text);
  return typeof parsed === 'object' && parsed !== null ? (parsed as DynamoDbOutput) : {};
}

/** As the SDK reads an AWS JSON error: the name after the `#` of `__type`, the message from `message` or `Message`. */
function errorFrom(status: number, requestId: string, body: DynamoDbOutput): DynamoDbServiceError {
  const type = typeof body.__type === 'string' ? body.__type : status === 413 ? 'RequestEntityTooLarge' : 'UnknownError';
  const name = type.split('#').pop() ?? type;
  const message = typeof body.message === 'string' ? body.message : typeof body.Message === 'string' ? body.Message : name;
  return new DynamoDbServiceError(name, message, status, requestId, body);
}
