// @ts-check
// What GraphiQL asks for, read without a GraphQL parser (GraphiQL's own is inside its bundle): the operations of a
// document, and which one runs. No DOM: tested in Node.

/**
 * @typedef {{ query: string, variables?: Record<string, unknown> | null, operationName?: string | null }} GraphQLParams
 */

/**
 * The operations of a document, in order: their type and name. Only words outside every selection set count (a
 * field may be called `query`); comments and strings are left out first.
 * @param {string} query
 * @returns {Array<{ type: string, name: string | null }>}
 */
export function operationsOf(query) {
  const source = query.replace(/#[^\n]*/g, ' ').replace(/"""[\s\S]*?"""|"(?:\\.|[^"\\])*"/g, '""');
  /** @type {Array<{ type: string, name: string | null }>} */
  const operations = [];
  let depth = 0;
  for (const match of source.matchAll(/[{}]|[_A-Za-z][_0-9A-Za-z]*/g)) {
    const token = match[0];
    if (token === '{') depth += 1;
    else if (token === '}') depth -= 1;
    else if (depth === 0 && (token === 'query' || token === 'mutation' || token === 'subscription')) {
      const name = /^\s*([_A-Za-z][_0-9A-Za-z]*)/.exec(source.slice((match.index ?? 0) + token.length));
      operations.push({ type: token, name: name ? name[1] : null });
    }
  }
  return operations;
}

/**
 * The request as the API should get it: GraphiQL can send the name of the operation the editor held a moment
 * before (a query pasted and run at once), which the API refuses as unknown; such a name is dropped.
 * @param {GraphQLParams} params
 * @returns {{ params: GraphQLParams, type: string }}
 */
export function prepare(params) {
  const operations = operationsOf(params.query);
  const named = params.operationName ? operations.find((operation) => operation.name === params.operationName) : undefined;
  const chosen = named ?? operations[0];
  const { operationName: _stale, ...rest } = params;
  return { params: named ? params : rest, type: chosen?.type ?? 'query' };
}
