// What the client needs from its platform: a POST for GraphQL, a PUT with upload progress, and a WebSocket.
// Browsers get fetch, XMLHttpRequest and WebSocket (browser-transport.ts); Node gets node:http(s) and ws
// (node-transport.ts), which can also trust an extra certificate (the local cloud's self-signed one).

export interface HttpResponse {
  status: number;
  text: string;
}

export interface PutRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: Blob | Uint8Array;
  size: number;
  /** Bytes sent so far, of `total`. */
  onProgress(loaded: number, total: number): void;
  signal?: AbortSignal;
}

/** The part of the WHATWG WebSocket the client uses; `ws` and browsers' WebSocket both have it. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
}

export const WEBSOCKET_OPEN = 1;

export interface Transport {
  post(url: string, headers: Record<string, string>, body: string, signal?: AbortSignal): Promise<HttpResponse>;
  /** Sends the body, reporting progress; resolves with the storage's answer whatever its status. */
  put(request: PutRequest): Promise<HttpResponse>;
  webSocket(url: string, protocol: string): WebSocketLike;
}
