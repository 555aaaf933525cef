import { connect, createServer, type Socket } from 'node:net';

/** What the gateway sent PostgreSQL, as counted on the wire. */
export interface QueryCounts {
  /** Statements executed: simple `Query` messages plus extended-protocol `Execute` messages. */
  readonly statements: number;
  /** Distinct SQL texts seen in `Parse` and `Query` messages since the last reset. */
  readonly sqlTexts: readonly string[];
}

export interface QueryCountingProxy {
  readonly port: number;
  /** Counts since the last {@link reset}. */
  counts(): QueryCounts;
  reset(): void;
  close(): Promise<void>;
}

const SSL_REQUEST = 80877103;
const GSSENC_REQUEST = 80877104;

/**
 * A TCP proxy in front of PostgreSQL that parses the frontend half of the wire protocol and
 * counts the statements a client runs. Independent of server extensions (pg_stat_statements
 * needs a preload and a restart) and of transaction counters (one transaction may hold several
 * statements): every statement a client executes passes here as exactly one `Query` or one
 * `Execute` message. Plain-text connections only: connect with `sslmode=disable`.
 */
export function startQueryCountingProxy(target: { host: string; port: number }): Promise<QueryCountingProxy> {
  let statements = 0;
  let sqlTexts = new Set<string>();
  const sockets = new Set<Socket>();

  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    sockets.add(client).add(upstream);
    client.on('close', () => sockets.delete(client));
    upstream.on('close', () => sockets.delete(upstream));
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    upstream.pipe(client);

    // Named (prepared) statements are parsed once per connection and then only bound: their
    // texts are kept by name (across reset) so that a Bind names what it runs.
    const prepared = new Map<string, string>();
    let startup = true;
    let buffered: Buffer = Buffer.alloc(0);
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
      let offset = 0;
      for (;;) {
        if (startup) {
          // Startup-phase messages have no type byte: int32 length, int32 code, ...
          if (buffered.length - offset < 8) break;
          const length = buffered.readInt32BE(offset);
          if (buffered.length - offset < length) break;
          const code = buffered.readInt32BE(offset + 4);
          if (code !== SSL_REQUEST && code !== GSSENC_REQUEST) startup = false;
          offset += length;
        } else {
          if (buffered.length - offset < 5) break;
          const type = String.fromCharCode(buffered[offset]!);
          const length = buffered.readInt32BE(offset + 1);
          if (buffered.length - offset < 1 + length) break;
          const body = buffered.subarray(offset + 5, offset + 1 + length);
          if (type === 'Q') {
            statements++;
            sqlTexts.add(cString(body, 0));
          } else if (type === 'E') {
            statements++;
          } else if (type === 'P') {
            // Parse: statement name, then the SQL text.
            const name = cString(body, 0);
            const text = cString(body, Buffer.byteLength(name) + 1);
            sqlTexts.add(text);
            if (name !== '') prepared.set(name, text);
          } else if (type === 'B') {
            // Bind: portal name, then statement name.
            const portal = cString(body, 0);
            const text = prepared.get(cString(body, Buffer.byteLength(portal) + 1));
            if (text !== undefined) sqlTexts.add(text);
          }
          offset += 1 + length;
        }
      }
      buffered = buffered.subarray(offset);
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : 0,
        counts: () => ({ statements, sqlTexts: [...sqlTexts] }),
        reset: () => {
          statements = 0;
          sqlTexts = new Set();
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

function cString(buffer: Buffer, start: number): string {
  const end = buffer.indexOf(0, start);
  return buffer.toString('utf8', start, end === -1 ? buffer.length : end);
}
