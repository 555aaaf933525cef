import type { IncomingHttpHeaders } from 'node:http';

/**
 * What the CORS layer reads of a request, on either platform: a Fastify request and an
 * Express request both are one (their own `host` includes the port, as the `Host` header does).
 */
export interface CorsHttpRequest {
  readonly method: string;
  /** The request target as received: path and query. */
  readonly url: string;
  readonly host: string | undefined;
  readonly protocol: string;
  readonly headers: IncomingHttpHeaders;
}
