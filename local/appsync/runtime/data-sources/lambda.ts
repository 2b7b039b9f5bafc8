// Lambda data source: `Invoke` (RequestResponse or Event) and `BatchInvoke` call an in-process handler.
import { InvalidRequestError, type DataSourceOutcome } from './types.ts';

export type LambdaHandler = (event: unknown) => Promise<unknown>;

interface LambdaRequest {
  operation?: string;
  invocationType?: 'RequestResponse' | 'Event';
  payload?: unknown;
}

/** A copy through JSON, as the payload crosses the wire to Lambda and back. */
function overTheWire(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/**
 * AppSync reports any error a Lambda function raises as ctx.error with type `Lambda:Unhandled` and the
 * function's errorMessage as message; the function's own errorType is not passed on.
 */
export async function invokeLambda(handler: LambdaHandler, request: unknown, onAsyncError: (error: unknown) => void): Promise<DataSourceOutcome> {
  const { operation, invocationType, payload } = (request ?? {}) as LambdaRequest;
  if (operation !== 'Invoke' && operation !== 'BatchInvoke') {
    throw new InvalidRequestError(`Unsupported operation '${String(operation)}' for a Lambda data source (Invoke or BatchInvoke)`);
  }
  // BatchInvoke: AppSync batches the invocations of a field into one array; here every batch has one item.
  const batch = operation === 'BatchInvoke';
  const event = overTheWire(batch ? [payload] : payload);
  if (invocationType === 'Event') {
    void Promise.resolve()
      .then(() => handler(event))
      .catch(onAsyncError);
    return { result: null };
  }
  try {
    const result = overTheWire(await handler(event));
    return { result: batch ? ((result as unknown[] | null)?.[0] ?? null) : result };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { result: null, error: { message, type: 'Lambda:Unhandled' } };
  }
}
