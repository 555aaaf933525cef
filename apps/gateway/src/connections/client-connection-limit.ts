import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE } from '#problem-details';
import type { TrustedHop } from '#service-runtime';

const BUSY_BODY = JSON.stringify({
  type: 'about:blank',
  title: 'Service Unavailable',
  status: 503,
  detail: 'too many open connections from this address',
});

/** Written on a connection over the bound: it has not sent a request yet, nothing else can be answered. */
const BUSY_RESPONSE =
  'HTTP/1.1 503 Service Unavailable\r\n' +
  `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
  `Content-Length: ${Buffer.byteLength(BUSY_BODY)}\r\n` +
  'Retry-After: 1\r\n' +
  'Connection: close\r\n\r\n' +
  BUSY_BODY;

/**
 * Bounds the connections one client address may hold open (issue 19, item 4: 130 trickled
 * bodies from one client held every upstream connection). Connections from a trusted proxy
 * (`TRUST_PROXY`) are not counted: every client behind it shares its address, and the proxy
 * bounds its own clients.
 */
export function limitConnectionsPerClient(server: Server, maxPerClient: number, trustedHop: TrustedHop): void {
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress;
    if (address === undefined || trustedHop(address, 0)) return;
    const count = (open.get(address) ?? 0) + 1;
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left === 0) open.delete(address);
      else open.set(address, left);
    });
    if (count > maxPerClient) socket.end(BUSY_RESPONSE);
  });
}
