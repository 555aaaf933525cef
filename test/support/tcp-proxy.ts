import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy that misbehaves on demand like the networks between an app and PostgreSQL do
 * (issue 17): it can forget idle connections silently (as a cloud load balancer or NAT does:
 * no FIN, no RST, the bytes just stop), drop everything (a partition), delay every chunk, or
 * reset every connection. Hand-written because it must fail *silently*: off-the-shelf proxies
 * (toxiproxy and the like) are separate binaries, and closing a socket is what they do best.
 *
 * A connection the proxy has stopped forwarding stays dead, even after {@link heal}: the
 * middlebox forgot it, as a NAT that lost its mapping would. Only new connections flow again.
 */
export class TcpProxy {
  private readonly links = new Set<Link>();
  private idleDropMs: number | null = null;
  private latencyMs = 0;
  private blackholed = false;
  private sweep?: NodeJS.Timeout;
  /** Connections accepted so far. */
  accepted = 0;
  /** Connections the proxy stopped forwarding without telling either side. */
  silentlyDropped = 0;
  /** Connections reset by {@link resetAll}. */
  reset = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Listens on a free loopback port and forwards to `target` (host and port of a `postgresql://` URL). */
  static async start(target: string): Promise<TcpProxy> {
    const { hostname, port } = new URL(target);
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const proxy = new TcpProxy(server, (server.address() as AddressInfo).port);
    server.on('connection', (client) => proxy.accept(client, hostname, Number(port)));
    proxy.sweep = setInterval(() => proxy.dropIdle(), 50);
    proxy.sweep.unref();
    return proxy;
  }

  /** `url` with its host and port replaced by the proxy's. */
  url(url: string): string {
    const proxied = new URL(url);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(this.port);
    return proxied.toString();
  }

  /** Silently forget a connection after it carried nothing for `ms` (null: never). */
  dropIdleAfter(ms: number | null): void {
    this.idleDropMs = ms;
  }

  /** Lose every byte of every connection, open or new; new connections are accepted and hang. */
  blackhole(): void {
    this.blackholed = true;
    for (const link of this.links) this.kill(link);
  }

  /** Silently forgets every open connection, as a NAT losing its table; new ones flow. */
  forgetAll(): void {
    for (const link of this.links) this.kill(link);
  }

  /** New connections flow again (the ones lost meanwhile stay lost). */
  heal(): void {
    this.blackholed = false;
  }

  /** Delays every chunk by `ms` in each direction (a round trip takes twice as long). */
  setLatency(ms: number): void {
    this.latencyMs = ms;
  }

  /** Resets every open connection (RST to both sides), as a restarting middlebox would. */
  resetAll(): void {
    for (const link of [...this.links]) {
      this.links.delete(link);
      this.reset++;
      link.client.resetAndDestroy();
      link.server.resetAndDestroy();
    }
  }

  /** Connections currently forwarded. */
  get open(): number {
    return [...this.links].filter((link) => !link.dead).length;
  }

  async close(): Promise<void> {
    clearInterval(this.sweep);
    for (const link of this.links) {
      link.client.destroy();
      link.server.destroy();
    }
    this.links.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, host: string, port: number): void {
    this.accepted++;
    const server = connect({ host, port });
    const link: Link = { client, server, dead: false, lastActivity: performance.now(), deliverAt: [0, 0] };
    this.links.add(link);
    if (this.blackholed) this.kill(link);
    this.pipe(link, client, server, 0);
    this.pipe(link, server, client, 1);
    const forget = () => {
      if (link.dead) return;
      this.links.delete(link);
      client.destroy();
      server.destroy();
    };
    for (const socket of [client, server]) {
      socket.on('error', forget);
      socket.on('close', forget);
    }
  }

  private pipe(link: Link, from: Socket, to: Socket, direction: 0 | 1): void {
    from.on('data', (chunk: Buffer) => {
      if (link.dead) return;
      link.lastActivity = performance.now();
      if (this.latencyMs === 0) {
        to.write(chunk);
        return;
      }
      // In order, however the latency changes meanwhile.
      const at = Math.max(performance.now() + this.latencyMs, link.deliverAt[direction]);
      link.deliverAt[direction] = at;
      setTimeout(() => link.dead || to.destroyed || to.write(chunk), at - performance.now());
    });
    from.on('end', () => link.dead || to.end());
  }

  private dropIdle(): void {
    if (this.idleDropMs === null) return;
    const now = performance.now();
    for (const link of this.links) {
      if (!link.dead && now - link.lastActivity >= this.idleDropMs) this.kill(link);
    }
  }

  /** Stops forwarding in both directions and tells no one: both sockets stay open. */
  private kill(link: Link): void {
    if (link.dead) return;
    link.dead = true;
    this.silentlyDropped++;
  }
}

interface Link {
  readonly client: Socket;
  readonly server: Socket;
  dead: boolean;
  lastActivity: number;
  /** When the last delayed chunk of each direction (client → server, server → client) goes out. */
  deliverAt: [number, number];
}
