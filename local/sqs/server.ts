// Local SQS endpoint: the queues of the local cloud, reached by the unchanged AWS SDK v3 client through
// AWS_ENDPOINT_URL_SQS. It speaks the protocol that client speaks, AWS JSON 1.0: POST /, the operation in
// `X-Amz-Target: AmazonSQS.<Action>`, JSON in and out; errors carry `__type` in the body and the query-compatible
// code in `x-amzn-query-error` (`<Code>;Sender`), from which the SDK builds its typed exceptions. Every request must
// be signed with SigV4 (service `sqs`) by a known key, and its signer's policies must allow `sqs:<Action>` on the
// queue, as SQS checks its callers.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { verifySigV4, type SigV4Failure } from '../appsync/sigv4-verify.ts';
import { accessControl, type AccessControl } from '../iam/access.ts';
import type { Logger } from '../log.ts';
import { closeServer, listen, urlHost } from '../net.ts';
import { type LocalQueue, QueueError } from './queue.ts';

export const SQS_CONTENT_TYPE = 'application/x-amz-json-1.0';
const TARGET_PREFIX = 'AmazonSQS.';
const MAX_BODY_BYTES = 1024 * 1024;
/** Long polling waits at most 20 seconds in SQS. */
const MAX_WAIT_SECONDS = 20;

export interface SqsServerOptions {
  host: string;
  /** 0 takes a free port. */
  port: number;
  region: string;
  accountId: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Who may sign, and what each signer may do; default: the credentials alone, allowed everything. */
  access?: AccessControl;
  queues: LocalQueue[];
  logger: Logger;
}

export interface LocalSqs {
  endpoint: string;
  port: number;
  /** The URL of a queue, as GetQueueUrl answers it. */
  queueUrl(name: string): string;
  close(): Promise<void>;
}

/** An error as SQS answers it. */
class SqsFault extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The `__type` of the body; SQS's own errors are in the com.amazonaws.sqs namespace. */
    readonly type = `com.amazonaws.sqs#${code}`,
  ) {
    super(message);
  }
}

const SIGNATURE_FAULTS: Record<SigV4Failure, { status: number; code: string }> = {
  MissingAuthorization: { status: 403, code: 'MissingAuthenticationToken' },
  IncompleteSignature: { status: 400, code: 'IncompleteSignature' },
  UnrecognizedClient: { status: 403, code: 'InvalidClientTokenId' },
  WrongScope: { status: 403, code: 'SignatureDoesNotMatch' },
  SignatureExpired: { status: 400, code: 'RequestExpired' },
  PayloadHashMismatch: { status: 403, code: 'SignatureDoesNotMatch' },
  SignatureDoesNotMatch: { status: 403, code: 'SignatureDoesNotMatch' },
};

type Body = Record<string, unknown>;

export async function startSqsServer(options: SqsServerOptions): Promise<LocalSqs> {
  const { logger } = options;
  const access = options.access ?? accessControl({ accountId: options.accountId, administrator: options.credentials });
  const byName = new Map(options.queues.map((queue) => [queue.name, queue]));
  let endpoint = '';
  const queueUrl = (name: string) => `${endpoint}/${options.accountId}/${name}`;

  const queueOf = (body: Body): LocalQueue => {
    const url = body.QueueUrl;
    if (typeof url !== 'string' || url === '') {
      throw new SqsFault(400, 'MissingParameter', 'The request must contain the parameter QueueUrl.');
    }
    const name = url.replace(/\/+$/, '').split('/').pop() ?? '';
    const queue = byName.get(name);
    if (queue === undefined) {
      throw new SqsFault(400, 'QueueDoesNotExist', 'The specified queue does not exist.');
    }
    return queue;
  };

  /** The queue a request names, as IAM sees it (ListQueues names none). */
  const resourceOf = (action: string, body: Body): string => {
    const name = action === 'GetQueueUrl' ? String(body.QueueName ?? '') : String(body.QueueUrl ?? '').replace(/\/+$/, '').split('/').pop() ?? '';
    return action === 'ListQueues' || name === '' ? '*' : `arn:aws:sqs:${options.region}:${options.accountId}:${name}`;
  };

  const actions: Record<string, (body: Body, signal: AbortSignal, signer: string) => Promise<Body>> = {
    async GetQueueUrl(body) {
      const name = String(body.QueueName ?? '');
      if (!byName.has(name)) {
        throw new SqsFault(400, 'QueueDoesNotExist', 'The specified queue does not exist.');
      }
      return { QueueUrl: queueUrl(name) };
    },
    async ListQueues() {
      return { QueueUrls: [...byName.keys()].map(queueUrl) };
    },
    async SendMessage(body, _signal, signer) {
      const queue = queueOf(body);
      if (typeof body.MessageBody !== 'string' || body.MessageBody === '') {
        throw new SqsFault(400, 'MissingParameter', 'The request must contain the parameter MessageBody.');
      }
      const delaySeconds = integerIn(body.DelaySeconds, 'DelaySeconds', 0, 900) ?? 0;
      const sent = await queue.send(body.MessageBody, { delaySeconds, senderId: signer });
      return { MessageId: sent.messageId, MD5OfMessageBody: sent.md5OfBody };
    },
    async ReceiveMessage(body, signal) {
      const queue = queueOf(body);
      const max = integerIn(body.MaxNumberOfMessages, 'MaxNumberOfMessages', 1, 10) ?? 1;
      const visibility = integerIn(body.VisibilityTimeout, 'VisibilityTimeout', 0, 43_200);
      const waitSeconds = integerIn(body.WaitTimeSeconds, 'WaitTimeSeconds', 0, MAX_WAIT_SECONDS) ?? 0;
      const wanted = [
        ...(Array.isArray(body.MessageSystemAttributeNames) ? body.MessageSystemAttributeNames : []),
        ...(Array.isArray(body.AttributeNames) ? body.AttributeNames : []),
      ].map(String);
      const deadline = Date.now() + waitSeconds * 1000;
      let messages = await queue.receive(max, visibility);
      while (messages.length === 0 && Date.now() < deadline && !signal.aborted) {
        await nextChange(queue, deadline, signal);
        messages = await queue.receive(max, visibility);
      }
      return {
        Messages: messages.map((message) => ({
          MessageId: message.messageId,
          ReceiptHandle: message.receiptHandle,
          MD5OfBody: message.md5OfBody,
          Body: message.body,
          ...(wanted.length > 0 && { Attributes: pick(message.attributes, wanted) }),
        })),
      };
    },
    async DeleteMessage(body) {
      await queueOf(body).delete(receiptHandleOf(body));
      return {};
    },
    async ChangeMessageVisibility(body) {
      const seconds = integerIn(body.VisibilityTimeout, 'VisibilityTimeout', 0, 43_200);
      if (seconds === undefined) {
        throw new SqsFault(400, 'MissingParameter', 'The request must contain the parameter VisibilityTimeout.');
      }
      await queueOf(body).changeVisibility(receiptHandleOf(body), seconds);
      return {};
    },
    async GetQueueAttributes(body) {
      const queue = queueOf(body);
      const counts = queue.counts();
      const all: Record<string, string> = {
        QueueArn: queue.arn,
        ApproximateNumberOfMessages: String(counts.visible),
        ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
        VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
        ...(queue.redrive && {
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: queue.redrive.deadLetterQueue.arn, maxReceiveCount: queue.redrive.maxReceiveCount }),
        }),
      };
      const names = Array.isArray(body.AttributeNames) ? body.AttributeNames.map(String) : [];
      return { Attributes: pick(all, names) };
    },
  };

  async function handle(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    const requestId = randomUUID();
    res.setHeader('x-amzn-RequestId', requestId);
    const target = String(req.headers['x-amz-target'] ?? '');
    const action = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    try {
      if (req.method !== 'POST') {
        throw new SqsFault(405, 'InvalidAction', `The local SQS speaks the AWS JSON 1.0 protocol (POST), not ${req.method}.`);
      }
      const raw = await readBody(req);
      const url = new URL(req.url ?? '/', 'http://local');
      const verified = await verifySigV4(
        {
          method: req.method,
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: headersOf(req),
          body: raw,
        },
        { secrets: access.keyPairs(), region: options.region, service: 'sqs' },
      );
      if (!verified.ok) {
        const fault = SIGNATURE_FAULTS[verified.reason];
        throw new SqsFault(fault.status, fault.code, verified.message, `com.amazon.coral.service#${fault.code}`);
      }
      const run = actions[action];
      if (run === undefined) {
        throw new SqsFault(400, 'UnknownOperationException', `Operation ${action || '(none)'} is not supported by the local SQS`, 'com.amazon.coral.service#UnknownOperationException');
      }
      const body = parseBody(raw);
      const decision = access.decide(verified.accessKeyId, `sqs:${action}`, resourceOf(action, body));
      if (!decision.allowed) {
        // SQS names the action in lower case in this message.
        const lower = `sqs:${action.toLowerCase()}`;
        const resource = resourceOf(action, body);
        throw new SqsFault(403, 'AccessDenied',
          `User: ${decision.principalArn} is not authorized to perform: ${lower} on resource: ${resource} because no identity-based policy allows the ${lower} action`,
          'com.amazon.coral.service#AccessDeniedException');
      }
      const result = await run(body, signal, verified.accessKeyId);
      send(res, 200, result);
      logger.debug(`${action} 200`, { requestId });
    } catch (error) {
      const fault = toFault(error);
      if (fault.status >= 500) {
        logger.error(`${action} failed`, { requestId, error });
      } else {
        logger.info(`${action || req.method} ${fault.status} ${fault.code}`, { requestId });
      }
      res.setHeader('x-amzn-query-error', `${fault.code};${fault.status >= 500 ? 'Receiver' : 'Sender'}`);
      send(res, fault.status, { __type: fault.type, message: fault.message });
    }
  }

  const server: Server = createServer((req, res) => {
    const aborted = new AbortController();
    res.once('close', () => aborted.abort());
    void handle(req, res, aborted.signal);
  });
  const port = await listen(server, options.port, options.host);
  endpoint = `http://${urlHost(options.host)}:${port}`;
  logger.info('queues ready', { endpoint, queues: [...byName.keys()] });

  return {
    endpoint,
    port,
    queueUrl,
    close: () => closeServer(server),
  };
}

function toFault(error: unknown): SqsFault {
  if (error instanceof SqsFault) {
    return error;
  }
  if (error instanceof QueueError) {
    return new SqsFault(400, error.code, error.message);
  }
  return new SqsFault(500, 'InternalError', 'We encountered an internal error. Please try again.');
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': SQS_CONTENT_TYPE, 'content-length': Buffer.byteLength(payload) });
  res.end(payload);
}

function headersOf(req: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new SqsFault(413, 'RequestEntityTooLarge', `Request bodies are limited to ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(raw: string): Body {
  try {
    const parsed: unknown = raw === '' ? {} : JSON.parse(raw);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Body;
    }
  } catch {
    // Answered below.
  }
  throw new SqsFault(400, 'SerializationException', 'The request body is not a JSON object', 'com.amazon.coral.service#SerializationException');
}

function receiptHandleOf(body: Body): string {
  if (typeof body.ReceiptHandle !== 'string' || body.ReceiptHandle === '') {
    throw new SqsFault(400, 'MissingParameter', 'The request must contain the parameter ReceiptHandle.');
  }
  return body.ReceiptHandle;
}

function integerIn(value: unknown, name: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SqsFault(400, 'InvalidParameterValue', `Value ${JSON.stringify(value)} for parameter ${name} is invalid. Reason: Must be between ${min} and ${max}.`);
  }
  return value;
}

function pick(attributes: Record<string, string>, names: string[]): Record<string, string> {
  if (names.includes('All')) {
    return { ...attributes };
  }
  return Object.fromEntries(Object.entries(attributes).filter(([name]) => names.includes(name)));
}

/** Until the queue changes, a message becomes visible, the deadline passes or the client goes away. */
function nextChange(queue: LocalQueue, deadline: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const visibleAt = queue.nextVisibleAt();
    const until = Math.min(deadline, visibleAt ?? deadline);
    const timer = setTimeout(done, Math.max(0, until - Date.now()));
    const unsubscribe = queue.onChange(done);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      unsubscribe();
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
