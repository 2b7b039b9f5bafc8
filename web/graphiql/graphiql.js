// @ts-check
// GraphiQL for the local cloud's API (or the API ?config= names), signed in as the demo page signs in: the same
// session in this tab's sessionStorage, or the small sign-in form in the bar. Every request carries the signed-in
// user's ID token, refreshed as needed, unless the Headers tab sets an Authorization of its own. Queries and
// mutations go over HTTP; subscriptions over AppSync's realtime WebSocket through the client package, and stream
// each event into the result pane.
import { createClient, userPoolAuth } from '../../client/dist/index.js';
import { loadClientConfig } from '../client-config.js';
import { $ } from '../dom.js';
import { describe } from '../errors.js';
import { createSession, sessionStorageKey, tabStorage } from '../session.js';
import { createUserPoolClient } from '../user-pool.js';
import { prepare } from './operations.js';

/**
 * @typedef {{ createElement(type: unknown, props?: Record<string, unknown> | null): unknown }} ReactLike
 * @typedef {{ createRoot(element: Element): { render(node: unknown): void } }} ReactDomLike
 * @typedef {{ query: string, variables?: Record<string, unknown> | null, operationName?: string | null }} GraphQLParams
 * @typedef {{ headers?: Record<string, unknown> }} FetcherOptions
 * @typedef {import('../session.js').Session} Session
 */

const DEFAULT_QUERY = `# Your blobs, newest first. Ctrl-Enter runs the query; the Docs pane shows the whole schema.
query Recent {
  blobs(limit: 5) {
    items { id status createdAt labels { name confidence } error { code message } }
    nextToken
  }
}

# Waits for a blob's result: paste an id, then run it while the blob is uploading.
# subscription Ready { labelsReady(id: "…") { id status labels { name confidence } } }
`;

const globals = /** @type {{ React: ReactLike, ReactDOM: ReactDomLike, GraphiQL: unknown }} */ (/** @type {unknown} */ (window));

/** An Authorization the Headers tab sets, which then wins over the session's. @param {FetcherOptions | undefined} options */
function headerToken(options) {
  const entry = Object.entries(options?.headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization');
  return entry && typeof entry[1] === 'string' && entry[1].trim() ? entry[1].trim() : null;
}

/**
 * @param {{ graphqlUrl: string, realtimeUrl: string }} endpoint
 * @param {Session} session
 */
function createFetcher(endpoint, session) {
  /** @param {string | null} token */
  const clientFor = (token) => createClient({
    ...endpoint,
    auth: userPoolAuth(({ forceRefresh }) => token ?? (forceRefresh ? session.refreshAfterUnauthorized() : session.idToken())),
  });

  /** @param {GraphQLParams} params @param {string | null} token */
  async function post(params, token) {
    const body = JSON.stringify(params);
    const send = async (/** @type {string} */ authorization) => fetch(endpoint.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body,
      credentials: 'omit',
    });
    let response = await send(token ?? (await session.idToken()));
    if (response.status === 401 && !token) response = await send(await session.refreshAfterUnauthorized());
    // GraphiQL shows the answer as the API gave it, errors (errorType, errorInfo) included.
    return response.json();
  }

  /** @param {GraphQLParams} params @param {string | null} token @returns {AsyncIterable<unknown>} */
  function subscribe(params, token) {
    /** @type {unknown[]} */
    const pending = [];
    /** @type {((result: IteratorResult<unknown>) => void) | null} */
    let waiting = null;
    let done = false;
    /** @param {unknown} value */
    const push = (value) => {
      if (waiting) {
        const resolve = waiting;
        waiting = null;
        resolve({ value, done: false });
      } else {
        pending.push(value);
      }
    };
    const started = clientFor(token).subscribe(params.query, params.variables ?? {}, {
      onData: (data) => push({ data }),
      onDropped: (error) => push({ errors: [{ message: `The connection dropped (${error.code}); reconnecting…` }] }),
    }, { operationName: params.operationName ?? undefined }).catch((error) => {
      push({ errors: [{ errorType: error?.code, message: describe(error) }] });
      return null;
    });
    return {
      [Symbol.asyncIterator]() {
        return {
          next() {
            if (pending.length) return Promise.resolve({ value: pending.shift(), done: false });
            if (done) return Promise.resolve({ value: undefined, done: true });
            return new Promise((resolve) => {
              waiting = resolve;
            });
          },
          async return() {
            done = true;
            (await started)?.close();
            return { value: undefined, done: true };
          },
        };
      },
    };
  }

  /** @param {GraphQLParams} graphiqlParams @param {FetcherOptions} [options] */
  return (graphiqlParams, options) => {
    const token = headerToken(options);
    const { params, type } = prepare(graphiqlParams);
    return type === 'subscription' ? subscribe(params, token) : post(params, token);
  };
}

async function init() {
  const config = await loadClientConfig(new URL(location.href));
  const pool = createUserPoolClient(config.userPool);
  const root = globals.ReactDOM.createRoot($('graphiql'));
  /** @param {import('../session.js').User | null} user */
  const show = (user) => {
    $('who').textContent = user
      ? `Signed in as ${user.email}: requests carry your ID token (an Authorization header in Headers overrides it)`
      : 'Sign in to send requests as a user:';
    $('sign-in').hidden = user !== null;
    $('sign-out').hidden = user === null;
    // A new GraphiQL for each user: the schema is read again with their token.
    root.render(globals.React.createElement(globals.GraphiQL, {
      key: user?.sub ?? 'signed-out',
      fetcher: createFetcher(config, session),
      defaultQuery: DEFAULT_QUERY,
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: false,
    }));
  };
  const session = createSession({
    pool,
    storage: tabStorage(),
    storageKey: sessionStorageKey(config),
    onChange: (change, user) => {
      if (change !== 'refreshed') show(user);
    },
  });
  $('sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    $('auth-error').textContent = '';
    const email = /** @type {HTMLInputElement} */ ($('email')).value.trim();
    const password = /** @type {HTMLInputElement} */ ($('password')).value;
    session.signIn(email, password).catch((error) => {
      $('auth-error').textContent = describe(error);
    });
  });
  $('sign-out').addEventListener('click', () => void session.signOut());
  show(session.restore());
}

init().catch((error) => {
  $('auth-error').textContent = describe(error);
});
