import net from 'node:net';

/**
 * A TCP relay put between the application and a server it depends on (PostgreSQL, the S3
 * server), which breaks the connection on command the way networks and servers do:
 * - `refuse()`: the port stops listening and every open connection is reset (server down);
 * - `freeze()`: nothing moves any more in either direction, on open or new connections, and
 *   nobody is told (a black hole: a partition, a frozen VM, a lost route);
 * - `reset()`: every open connection is reset (RST); new ones work (a restart, a failover,
 *   a pooler or firewall dropping connections);
 * - `pass()`: relays normally again (frozen bytes flow on, as TCP retransmission would).
 */
export interface FaultRelay {
  port: number;
  /** Connections open now. */
  readonly open: number;
  pass(): Promise<void>;
  refuse(): Promise<void>;
  freeze(): void;
  reset(): void;
  close(): Promise<void>;
}

interface Pair {
  client: net.Socket;
  upstream: net.Socket | undefined;
}

export async function startFaultRelay(target: { host: string; port: number }): Promise<FaultRelay> {
  const pairs = new Set<Pair>();
  let mode: 'pass' | 'freeze' | 'refuse' = 'pass';

  const connectUpstream = (pair: Pair) => {
    const upstream = net.connect(target.port, target.host);
    pair.upstream = upstream;
    const end = () => {
      pair.client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    upstream.on('error', end).on('close', end);
    pair.client.pipe(upstream);
    upstream.pipe(pair.client);
  };

  const accept = (client: net.Socket) => {
    const pair: Pair = { client, upstream: undefined };
    pairs.add(pair);
    client.on('error', () => {});
    client.on('close', () => {
      pair.upstream?.destroy();
      pairs.delete(pair);
    });
    if (mode === 'freeze') client.pause();
    else connectUpstream(pair);
  };

  let server = net.createServer(accept);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
    });
  const port = await listen(0);

  const resetAll = () => {
    for (const pair of pairs) {
      pair.client.resetAndDestroy();
      pair.upstream?.resetAndDestroy();
    }
    pairs.clear();
  };

  return {
    port,
    get open() {
      return pairs.size;
    },
    async pass() {
      if (mode === 'refuse') {
        server = net.createServer(accept);
        await listen(port);
      }
      const wasFrozen = mode === 'freeze';
      mode = 'pass';
      if (!wasFrozen) return;
      for (const pair of pairs) {
        if (pair.upstream) {
          pair.client.pipe(pair.upstream);
          pair.upstream.pipe(pair.client);
        } else {
          pair.client.resume();
          connectUpstream(pair);
        }
      }
    },
    async refuse() {
      mode = 'refuse';
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        resetAll();
      });
    },
    freeze() {
      if (mode === 'freeze') return;
      mode = 'freeze';
      for (const pair of pairs) {
        // Unpiped, paused sockets read nothing: data waits in the kernel's buffers.
        if (pair.upstream) {
          pair.client.unpipe(pair.upstream);
          pair.upstream.unpipe(pair.client);
          pair.upstream.pause();
        }
        pair.client.pause();
      }
    },
    reset() {
      resetAll();
    },
    async close() {
      await new Promise<void>((resolve) => {
        if (mode === 'refuse') resolve();
        else server.close(() => resolve());
        resetAll();
      });
    },
  };
}
