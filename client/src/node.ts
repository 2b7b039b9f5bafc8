// @image-labels/client in Node 20+: node:http(s) and `ws` (Node 20 has no WebSocket of its own), an extra trusted
// certificate for a self-signed endpoint, and amplify_outputs.json read from a file.
import { readFile } from 'node:fs/promises';
import { createClientWith, type ClientOptions, type ImageLabelsClient } from './client.js';
import { configFromAmplifyOutputs, type ApiConfig } from './config.js';
import { ImageLabelsError, messageOf } from './errors.js';
import { nodeTransport } from './node-transport.js';
import type { Transport } from './transport.js';

export interface NodeClientOptions extends ClientOptions {
  /** PEM of a certificate to trust beside Node's roots (ApiConfig.tlsCertificate: the local cloud's). */
  tlsCertificate?: string | null;
  /** Default: node:http(s) and ws. */
  transport?: Transport;
}

export function createClient(options: NodeClientOptions): ImageLabelsClient {
  return createClientWith(options, options.transport ?? nodeTransport({ tlsCertificate: options.tlsCertificate }));
}

/** Reads and checks an amplify_outputs.json file. */
export async function readAmplifyOutputs(file = 'amplify_outputs.json'): Promise<ApiConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new ImageLabelsError('Config', 'ConfigNotFound', `Cannot read ${file}: ${messageOf(cause)}`, { cause });
  }
  let outputs: unknown;
  try {
    outputs = JSON.parse(text);
  } catch (cause) {
    throw new ImageLabelsError('Config', 'InvalidConfig', `${file} is not JSON: ${messageOf(cause)}`, { cause });
  }
  return configFromAmplifyOutputs(outputs);
}

export { nodeTransport, type NodeTransportOptions } from './node-transport.js';
export * from './exports.js';
