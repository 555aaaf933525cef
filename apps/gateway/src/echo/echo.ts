import type { FastifyRequest } from 'fastify';

/** What the echo handler answers: the request as the tenant's API would have seen it. */
export interface EchoResponse {
  readonly tenant: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
}

const HIDDEN_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/**
 * The built-in answer for tenants without an upstream (SPEC): any method on `/echo` of the
 * tenant. Credentials are not echoed back.
 */
export function echo(request: FastifyRequest, tenant: string, path: string): EchoResponse {
  const headers: Record<string, string | string[] | undefined> = {};
  for (const name in request.headers) if (!HIDDEN_HEADERS.has(name)) headers[name] = request.headers[name];
  return { tenant, method: request.method, path, headers };
}
