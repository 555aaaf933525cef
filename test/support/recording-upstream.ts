import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as an upstream received it. */
export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
}

/**
 * A real upstream API on a loopback address that records the path and headers of every request it
 * receives (what a proxied request really reached), and answers 200 JSON unless `handle`
 * answers first (returns true).
 */
export class RecordingUpstream {
  readonly received: ReceivedRequest[] = [];

  private constructor(private readonly server: Server) {}

  static async start(handle?: (request: IncomingMessage, response: ServerResponse) => boolean, host = '127.0.0.1'): Promise<RecordingUpstream> {
    let upstream: RecordingUpstream | undefined;
    const server = createServer((request, response) => {
      upstream?.received.push({ method: request.method!, url: request.url!, headers: request.headers });
      if (handle?.(request, response)) return;
      request.resume();
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ url: request.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    upstream = new RecordingUpstream(server);
    return upstream;
  }

  /** `http://<host>:<port>`. */
  get origin(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address}:${port}`;
  }

  get urls(): string[] {
    return this.received.map((request) => request.url);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
