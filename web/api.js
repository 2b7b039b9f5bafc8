// @ts-check
// The API through the client package (client/dist, served at /client/dist/ beside the page): GraphQL, the realtime
// subscription, the upload with progress, and labelImage's whole flow. Every request carries the session's ID
// token; a token the API refuses is refreshed once (the session shares one refresh between concurrent refusals).
import { createClient, userPoolAuth } from '../client/dist/index.js';

/**
 * @typedef {import('../client/dist/index.js').ImageLabelsClient} ImageLabelsClient
 * @typedef {import('../client/dist/index.js').ImageBlob} ImageBlob
 * @typedef {{ idToken(): Promise<string>, refreshAfterUnauthorized(): Promise<string> }} TokenSource
 */

/**
 * @param {{ graphqlUrl: string, realtimeUrl: string }} endpoint
 * @param {TokenSource} session
 * @returns {ImageLabelsClient}
 */
export function createApi(endpoint, session) {
  return createClient({
    graphqlUrl: endpoint.graphqlUrl,
    realtimeUrl: endpoint.realtimeUrl,
    auth: userPoolAuth(({ forceRefresh }) => (forceRefresh ? session.refreshAfterUnauthorized() : session.idToken())),
  });
}
