// GraphQL over HTTP: one POST per operation, authorized by the provider; credentials the API refuses (HTTP 401)
// are refreshed once and the request sent again. The first GraphQL error becomes an ImageLabelsError with its
// errorType as `code` and its errorInfo as `info`.
import type { AuthProvider } from './auth.js';
import { ImageLabelsError } from './errors.js';
import type { Transport } from './transport.js';
import type { TypedDocument } from './typed-document.js';

export interface GraphQLErrorEntry {
  message: string;
  errorType?: string;
  errorInfo?: Record<string, unknown> | null;
}

export interface Endpoint {
  graphqlUrl: string;
  auth: AuthProvider;
  transport: Transport;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

/** The first error, typed; the others listed in `details`. */
export function graphqlError(errors: readonly GraphQLErrorEntry[], source: 'GraphQL' | 'Realtime' = 'GraphQL'): ImageLabelsError {
  const [first, ...rest] = errors;
  return new ImageLabelsError(source, first?.errorType ?? 'Error', first?.message ?? 'The request was refused', {
    info: first?.errorInfo ?? null,
    details: rest.map((other) => `${other.errorType ?? 'Error'}: ${other.message}`),
  });
}

function withoutHost(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'host'));
}

export async function executeGraphQL<TResult, TVariables>(
  endpoint: Endpoint,
  document: TypedDocument<TResult, TVariables>,
  variables: TVariables,
  signal?: AbortSignal,
  operationName?: string,
): Promise<TResult> {
  const body = JSON.stringify({ query: document, variables, ...(operationName ? { operationName } : {}) });
  const send = async () => {
    const added = await endpoint.auth.authorize({ url: endpoint.graphqlUrl, body, headers: JSON_HEADERS });
    return endpoint.transport.post(endpoint.graphqlUrl, withoutHost({ ...JSON_HEADERS, ...added }), body, signal);
  };
  let response = await send();
  if (response.status === 401 && (await endpoint.auth.refresh())) {
    response = await send();
  }
  type Answer = { data?: TResult | null; errors?: GraphQLErrorEntry[] } | null;
  let parsed: Answer;
  try {
    parsed = JSON.parse(response.text) as Answer;
  } catch {
    parsed = null;
  }
  if (parsed?.errors?.length) throw graphqlError(parsed.errors);
  if (response.status < 200 || response.status >= 300 || !parsed?.data) {
    throw new ImageLabelsError('GraphQL', `HTTP ${response.status}`, `The GraphQL endpoint answered HTTP ${response.status} without data`);
  }
  return parsed.data;
}
