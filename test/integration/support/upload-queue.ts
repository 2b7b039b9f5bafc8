// Reading the local cloud's upload queues through its SQS endpoint, as an operator would.
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_REGION, localCredentials } from '../../../local/config.ts';

export interface QueueDepth {
  visible: number;
  inFlight: number;
}

export async function queueDepth(sqsEndpoint: string, queueUrl: string): Promise<QueueDepth> {
  const sqs = new SQSClient({ endpoint: sqsEndpoint, region: LOCAL_REGION, credentials: localCredentials() });
  try {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return { visible: Number(Attributes?.ApproximateNumberOfMessages), inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible) };
  } finally {
    sqs.destroy();
  }
}

/** Checks `condition` every `intervalMs` until it holds; fails after `timeoutMs`. */
export async function eventually(condition: () => Promise<boolean>, timeoutMs: number, what: string | (() => string), intervalMs = 200): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`${typeof what === 'string' ? what : what()}: not within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
