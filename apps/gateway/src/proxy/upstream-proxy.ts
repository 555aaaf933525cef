import replyFrom from '@fastify/reply-from';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import { mergeVary } from '#dynamic-cors';
import { PROBLEM_CONTENT_TYPE } from '#problem-details';
import type { TrustedHop, UpstreamHostGuard } from '#service-runtime';
import { boundedBody, BodyRefusedError } from './bounded-body.js';
import { forwardedHeaders, hasLooped } from './forwarded-headers.js';
import { guardedLookup, UPSTREAM_ADDRESS_REFUSED } from './guarded-lookup.js';
import { confinedResponseHeaders, tenantCookies } from './path-tenant-isolation.js';
import { upstreamTargetOf } from './upstream-target.js';

export interface UpstreamProxyOptions {
  /** The gateway's logger: the tenant server has no request loggers below debug level (see `createTenantServer`). */
  readonly logger: Logger;
  readonly timeoutMs: number;
  /** Whether the peer that sent a request is a trusted proxy (`TRUST_PROXY`). */
  readonly trustedHop: TrustedHop;
  /** Refuses upstream addresses that are loopback, link-local, metadata or the gateway's own. */
  readonly hostGuard: UpstreamHostGuard;
  /** Connections to one upstream origin; a request beyond them is answered 503 at once. */
  readonly maxConnectionsPerUpstream: number;
  /** Largest proxied request body (413 beyond). */
  readonly bodyLimitBytes: number;
  /** A proxied request body must have arrived this long after its headers (408 beyond). */
  readonly requestTimeoutMs: number;
  /** Slowest average rate of a proxied request body after its grace period (408 below; 0: none). */
  readonly bodyMinBytesPerSecond: number;
}

/** What a tenant request is forwarded with. */
export interface ForwardTarget {
  readonly upstreamUrl: string;
  /** The path (with query) the tenant's API sees. */
  readonly path: string;
  /** The tenant hostname the request was addressed to, when the tenant was found by its Host. */
  readonly tenantHost: string | undefined;
  /** The tenant's slug when it was found by its `/t/<slug>` path: its responses are confined. */
  readonly pathTenant: string | undefined;
}

type Problem = { status: number; title: string; detail: string; retryAfter?: number };

/**
 * Forwards tenant requests to their upstream with `@fastify/reply-from` (undici): bodies
 * streamed both ways (bounded in size and time), hop-by-hop headers dropped (the library's
 * job), `X-Forwarded-*` and `Via` set by the gateway, and the upstream's own
 * `Access-Control-*` headers replaced by the tenant policy's, which the CORS hook already put
 * on the reply; a path-routed tenant's cookies and documents are confined to it
 * (path-tenant-isolation.ts). Refused before anything is sent upstream: paths that leave the upstream's base
 * path, requests that looped back through a corsmesh gateway, upstream addresses the operator
 * did not allow, and requests beyond the connections an upstream may have.
 */
export class UpstreamProxy {
  /** Requests in flight per upstream origin, to answer 503 rather than queue without end. */
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly options: UpstreamProxyOptions) {}

  /** Registers the client and makes every request body a bounded pass-through stream (never parsed). */
  register(fastify: FastifyInstance): void {
    const bounds = {
      limitBytes: this.options.bodyLimitBytes,
      deadlineMs: this.options.requestTimeoutMs,
      minBytesPerSecond: this.options.bodyMinBytesPerSecond,
    };
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', (request, payload, done) => {
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > bounds.limitBytes) return done(new BodyRefusedError(413, `the request body is larger than ${bounds.limitBytes} bytes`), undefined);
      done(null, boundedBody(payload as Readable, bounds));
    });
    void fastify.register(replyFrom, {
      undici: {
        headersTimeout: this.options.timeoutMs,
        bodyTimeout: this.options.timeoutMs,
        connections: this.options.maxConnectionsPerUpstream,
        // reply-from turns certificate checks off (`tls.rejectUnauthorized: false`) unless told
        // otherwise; undici applies `connect` after `tls`, so upstream certificates are verified.
        connect: { lookup: guardedLookup(this.options.hostGuard), rejectUnauthorized: true },
      },
      destroyAgent: true,
      // Only idempotent methods may be retried once the upstream reset the connection.
      retryMethods: ['GET', 'HEAD', 'OPTIONS'],
      disableRequestLogging: true,
    });
  }

  forward(request: FastifyRequest, reply: FastifyReply, { upstreamUrl, path, tenantHost, pathTenant }: ForwardTarget): FastifyReply {
    if (hasLooped(request.headers.via)) {
      return problem(request, reply, { status: 508, title: 'Loop Detected', detail: 'the request has already passed through a corsmesh gateway: its upstream points back at one' });
    }
    const target = upstreamTargetOf(upstreamUrl, path);
    if ('refused' in target) return problem(request, reply, { status: 400, title: 'Bad Request', detail: target.refused });
    const upstream = new URL(target.url);
    const refusedHost = this.options.hostGuard(upstream.hostname);
    if (refusedHost !== undefined) {
      this.options.logger.warn({ reqId: request.id, upstream: upstream.origin }, `upstream refused: its host ${refusedHost}`);
      return problem(request, reply, { status: 502, title: 'Bad Gateway', detail: 'the upstream address is not allowed (UPSTREAM_ALLOWED_HOSTS)' });
    }
    const origin = upstream.origin;
    const busy = this.inFlight.get(origin) ?? 0;
    if (busy >= this.options.maxConnectionsPerUpstream) {
      return problem(request, reply, { status: 503, title: 'Service Unavailable', detail: 'the upstream has too many requests in flight', retryAfter: 1 });
    }
    this.inFlight.set(origin, busy + 1);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(origin) ?? 1) - 1;
      if (left === 0) this.inFlight.delete(origin);
      else this.inFlight.set(origin, left);
    };
    reply.raw.once('close', release);

    return reply.from(target.url, {
      // The query as sent: reply-from's own traversal check would read `../` in it as a path.
      queryString: () => target.query,
      rewriteRequestHeaders: (_request, headers) => {
        const forwarded = withoutExpect(forwardedHeaders(request, headers, this.options.trustedHop, tenantHost));
        if (pathTenant === undefined) return forwarded;
        const { cookie: _all, ...rest } = forwarded;
        const own = tenantCookies(request.headers.cookie, pathTenant);
        return own === undefined ? rest : { ...rest, cookie: own };
      },
      rewriteHeaders: (headers) => {
        const rewritten = withPolicyCorsHeaders(headers, request);
        return pathTenant === undefined ? rewritten : confinedResponseHeaders(rewritten, pathTenant);
      },
      onError: (failedReply, { error }) => {
        release();
        void problem(request, failedReply as FastifyReply, this.failure(request, error, origin));
      },
    });
  }

  private failure(request: FastifyRequest, error: Error, upstream: string): Problem {
    const cause = causeOf(error);
    if (cause instanceof BodyRefusedError) {
      return cause.statusCode === 413
        ? { status: 413, title: 'Content Too Large', detail: cause.message }
        : { status: 408, title: 'Request Timeout', detail: cause.message };
    }
    if ((cause as { code?: string }).code === UPSTREAM_ADDRESS_REFUSED) {
      this.options.logger.warn({ reqId: request.id, upstream }, cause.message);
      return { status: 502, title: 'Bad Gateway', detail: 'the upstream address is not allowed (UPSTREAM_ALLOWED_HOSTS)' };
    }
    const timedOut = /timeout/i.test(`${(error as { code?: string }).code ?? ''} ${error.message}`);
    this.options.logger.warn({ reqId: request.id, err: error, upstream }, 'upstream request failed');
    return timedOut
      ? { status: 504, title: 'Gateway Timeout', detail: 'the upstream did not answer in time' }
      : { status: 502, title: 'Bad Gateway', detail: 'the upstream could not be reached' };
  }
}

/** The innermost cause reply-from and undici wrapped an error in. */
function causeOf(error: Error): Error {
  let current: Error = error;
  while (current.cause instanceof Error) current = current.cause;
  return current;
}

function problem(request: FastifyRequest, reply: FastifyReply, { status, title, detail, retryAfter }: Problem): FastifyReply {
  if (retryAfter !== undefined) void reply.header('retry-after', String(retryAfter));
  // A request whose body was not read to the end cannot leave the connection reusable.
  if (!request.raw.complete) void reply.header('connection', 'close');
  return reply
    .code(status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .send({ type: 'about:blank', title, status, detail, instance: request.url.split('?')[0] });
}

/**
 * Node answers `Expect: 100-continue` itself before the handler runs; undici refuses to send
 * the header on (it would make every such upload a 502), and the upstream has nothing left to
 * agree to.
 */
function withoutExpect(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  delete headers.expect;
  return headers;
}

/** Response headers that describe the upstream's connection, not the client's (RFC 9110 section 7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

/**
 * The upstream's response headers without its CORS headers and without its hop-by-hop ones
 * (reply-from strips those only for HTTP/2 clients: an upstream's `Connection: keep-alive`
 * kept a client's `Connection: close` connection open).
 */
function withPolicyCorsHeaders(headers: IncomingHttpHeaders, request: FastifyRequest): IncomingHttpHeaders {
  const rewritten: IncomingHttpHeaders = {};
  // On a path where a path rule disables CORS, the upstream's own CORS headers stand.
  const ownCors = request.cors?.decision.kind === 'disabled';
  const named = typeof headers.connection === 'string' ? headers.connection.toLowerCase().split(',').map((name) => name.trim()) : [];
  for (const name in headers) {
    if ((ownCors || !name.startsWith('access-control-')) && !HOP_BY_HOP.has(name) && !named.includes(name)) rewritten[name] = headers[name];
  }
  const ours = request.cors?.decision.vary;
  if (ours) rewritten.vary = mergeVary(headers.vary, ours);
  return rewritten;
}
