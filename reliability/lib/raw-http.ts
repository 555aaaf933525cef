import { connect } from 'node:net';

/** A response read off a raw socket. */
export interface RawResponse {
  /** 0 when the server closed the connection without an answer. */
  readonly status: number;
  /** Lower-case header names, every value of a repeated header kept. */
  readonly headers: ReadonlyMap<string, string[]>;
  readonly body: string;
}

/**
 * Sends bytes no HTTP client library would send (several Origin headers, odd bytes in header
 * names, lower-case methods) and reads the answer. The request should carry
 * `Connection: close`; the server may also close on its own after refusing it.
 */
export function rawRequest(port: number, request: string | Buffer, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    // Written, not ended: the request says `Connection: close` and the server closes.
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    const finish = () => {
      clearTimeout(timer);
      resolve(parse(Buffer.concat(chunks).toString('latin1')));
    };
    socket.on('close', finish);
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after a refusal still leaves the answer read so far.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
      clearTimeout(timer);
      reject(error);
    });
  });
}

function parse(raw: string): RawResponse {
  const headerEnd = raw.indexOf('\r\n\r\n');
  const head = headerEnd === -1 ? raw : raw.slice(0, headerEnd);
  const lines = head.split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
  const headers = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return { status, headers, body: headerEnd === -1 ? '' : raw.slice(headerEnd + 4) };
}

/** The `access-control-*` header names of a response. */
export function corsHeaderNames(headers: ReadonlyMap<string, string[]>): string[] {
  return [...headers.keys()].filter((name) => name.startsWith('access-control-'));
}
