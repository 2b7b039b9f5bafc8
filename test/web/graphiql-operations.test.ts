// Which operation GraphiQL runs, read from its document: the type decides HTTP or the realtime socket.
import { describe, expect, it } from 'vitest';
import { operationsOf, prepare } from '../../web/graphiql/operations.js';

describe("GraphiQL's operations", () => {
  it('reads each top-level operation, not fields named like keywords, comments or strings', () => {
    const document = `# query Commented { x }
      query Recent { blobs { items { id query: status } } }
      subscription Ready($id: ID!) { labelsReady(id: $id) { id } }
      mutation { deleteBlob(id: "mutation Fake { }") { id } }
      fragment F on Blob { id }`;

    expect(operationsOf(document)).toEqual([
      { type: 'query', name: 'Recent' },
      { type: 'subscription', name: 'Ready' },
      { type: 'mutation', name: null },
    ]);
  });

  it('runs the named operation, or the first', () => {
    const query = 'query A { blobs { nextToken } } subscription B { labelsReady(id: "x") { id } }';

    expect(prepare({ query, operationName: 'B' })).toEqual({ params: { query, operationName: 'B' }, type: 'subscription' });
    expect(prepare({ query })).toEqual({ params: { query }, type: 'query' });
    expect(prepare({ query: '{ blobs { nextToken } }' }).type).toBe('query');
  });

  it('drops an operation name the document does not have (GraphiQL can send the one it held a moment before)', () => {
    const query = 'subscription Ready { labelsReady(id: "x") { id } }';

    expect(prepare({ query, operationName: 'Recent', variables: {} })).toEqual({ params: { query, variables: {} }, type: 'subscription' });
  });
});
