// A lean client of AppSync's realtime protocol for the benchmarks: one WebSocket, any number of subscriptions,
// each `data` message handed to its subscription's listener with the time it arrived (performance.now()).
import { WebSocket } from 'ws';

export interface Subscription {
  id: string;
  /** Resolves with the first `data` message's payload and its arrival time. */
  data: Promise<{ payload: unknown; at: number }>;
  /** Every data message received so far (a subscriber must get exactly one per matching publish). */
  received: number;
}

interface Pending {
  started: () => void;
  failed: (error: Error) => void;
  data: (payload: unknown, at: number) => void;
  onData?: DataListener;
  subscription: Subscription;
}

/** Called with every `data` message of a subscription, in the order the connection received them. */
export type DataListener = (payload: unknown, at: number) => void;

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

export class RealtimeConnection {
  private readonly subscriptions = new Map<string, Pending>();
  private next = 1;

  private constructor(
    private readonly socket: WebSocket,
    private readonly authorization: Record<string, string>,
  ) {
    socket.on('message', (raw) => {
      const at = performance.now();
      const message = JSON.parse(raw.toString()) as { type: string; id?: string; payload?: { data?: unknown; errors?: unknown } };
      const pending = message.id ? this.subscriptions.get(message.id) : undefined;
      if (!pending) return;
      if (message.type === 'start_ack') pending.started();
      else if (message.type === 'error') pending.failed(new Error(JSON.stringify(message.payload)));
      else if (message.type === 'data') {
        pending.subscription.received += 1;
        pending.data(message.payload, at);
        pending.onData?.(message.payload, at);
      }
    });
  }

  /** Opens a connection authorized by a user pool token (`authorization` header), as Amplify does. */
  static async open(realtimeUrl: string, graphqlUrl: string, token: string): Promise<RealtimeConnection> {
    const authorization = { host: new URL(graphqlUrl).host, Authorization: token };
    const socket = new WebSocket(`${realtimeUrl}?header=${encodeURIComponent(encode(authorization))}&payload=e30=`, ['graphql-ws']);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (raw: Buffer) => {
        const message = JSON.parse(raw.toString()) as { type: string };
        if (message.type === 'connection_ack') {
          socket.off('message', onMessage);
          resolve();
        } else if (message.type === 'connection_error') {
          reject(new Error(`connection refused: ${raw.toString()}`));
        }
      };
      socket.on('message', onMessage);
      socket.send(JSON.stringify({ type: 'connection_init' }));
    });
    return new RealtimeConnection(socket, authorization);
  }

  /** Starts a subscription; resolves once the server acknowledged it (start_ack). */
  async subscribe(query: string, variables: Record<string, unknown>, onData?: DataListener): Promise<Subscription> {
    const id = `s${this.next++}`;
    let started!: () => void;
    let failed!: (error: Error) => void;
    let data!: (payload: unknown, at: number) => void;
    const ack = new Promise<void>((resolve, reject) => {
      started = resolve;
      failed = reject;
    });
    const subscription: Subscription = {
      id,
      received: 0,
      data: new Promise((resolve) => {
        data = (payload, at) => resolve({ payload, at });
      }),
    };
    this.subscriptions.set(id, { started, failed, data, onData, subscription });
    this.socket.send(JSON.stringify({
      id,
      type: 'start',
      payload: { data: JSON.stringify({ query, variables }), extensions: { authorization: this.authorization } },
    }));
    await ack;
    return subscription;
  }

  unsubscribe(id: string): void {
    this.subscriptions.delete(id);
    this.socket.send(JSON.stringify({ id, type: 'stop' }));
  }

  close(): void {
    this.socket.close();
  }
}
