// @image-labels/client: the image-labels API from browsers (this entry) and Node 20+ (node.ts, chosen by the
// package's "node" export condition). Both export the same API; only the transport differs.
import { browserTransport } from './browser-transport.js';
import { createClientWith, type ClientOptions, type ImageLabelsClient } from './client.js';
import type { Transport } from './transport.js';

export interface BrowserClientOptions extends ClientOptions {
  /** Default: fetch, XMLHttpRequest (upload progress) and the browser's WebSocket. */
  transport?: Transport;
}

/** A client of one API: `createClient({ ...configFromAmplifyOutputs(outputs), auth: userPoolAuth(getToken) })`. */
export function createClient(options: BrowserClientOptions): ImageLabelsClient {
  return createClientWith(options, options.transport ?? browserTransport());
}

export * from './exports.js';
