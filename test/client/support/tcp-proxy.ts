// A TCP proxy in front of one port, for killing connections from outside (as a network drop does) and refusing new
// ones for a while. TLS passes through untouched.
import { connect, createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  port: number;
  /** Connections accepted so far (refused ones not counted). */
  readonly accepted: number;
  /** Destroys every open connection, both sides. */
  killAll(): void;
  /** While true, new connections are reset at once. */
  refusing: boolean;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let accepted = 0;
  const proxy: TcpProxy = {
    port: 0,
    get accepted() {
      return accepted;
    },
    refusing: false,
    killAll() {
      for (const socket of open) socket.destroy();
      open.clear();
    },
    close: () => new Promise((closed) => {
      proxy.killAll();
      server.close(() => closed());
    }),
  };
  const server = createServer((client) => {
    if (proxy.refusing) {
      client.resetAndDestroy();
      return;
    }
    accepted += 1;
    const upstream = connect(targetPort, targetHost);
    for (const [socket, other] of [[client, upstream], [upstream, client]] as const) {
      open.add(socket);
      socket.on('error', () => other.destroy());
      socket.on('close', () => {
        open.delete(socket);
        other.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  proxy.port = (server.address() as AddressInfo).port;
  return proxy;
}
