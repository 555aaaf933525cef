import replyFrom from '@fastify/reply-from';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { PROBLEM_CONTENT_TYPE } from '#problem-details';

export interface UpstreamProxyOptions {
  readonly timeoutMs: number;
}

/**
 * Forwards tenant requests to their upstream with `@fastify/reply-from` (undici): bodies
 * streamed both ways, hop-by-hop headers dropped (the library's job), `X-Forwarded-*` added,
 * and the upstream's own `Access-Control-*` headers replaced by the tenant policy's, which
 * the CORS hook already put on the reply.
 */
export class UpstreamProxy {
  constructor(private readonly options: UpstreamProxyOptions) {}

  /** Registers the client and makes every request body a pass-through stream (never parsed). */
  register(fastify: FastifyInstance): void {
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    void fastify.register(replyFrom, {
      undici: { headersTimeout: this.options.timeoutMs, bodyTimeout: this.options.timeoutMs, connections: 128 },
      destroyAgent: true,
      // Only idempotent methods may be retried once the upstream reset the connection.
      retryMethods: ['GET', 'HEAD', 'OPTIONS'],
      disableRequestLogging: true,
    });
  }

  forward(request: FastifyRequest, reply: FastifyReply, upstreamUrl: string, path: string): FastifyReply {
    const base = upstreamUrl.endsWith('/') ? upstreamUrl.slice(0, -1) : upstreamUrl;
    return reply.from(base + path, {
      rewriteRequestHeaders: (_request, headers) => forwardedHeaders(request, headers),
      rewriteHeaders: (headers) => withPolicyCorsHeaders(headers, request),
      onError: (failedReply, { error }) => {
        const timedOut = /timeout/i.test(`${(error as { code?: string }).code ?? ''} ${error.message}`);
        const status = timedOut ? 504 : 502;
        request.log.warn({ err: error, upstream: base }, 'upstream request failed');
        void failedReply
          .code(status)
          .header('content-type', PROBLEM_CONTENT_TYPE)
          .send({
            type: 'about:blank',
            title: timedOut ? 'Gateway Timeout' : 'Bad Gateway',
            status,
            detail: timedOut ? 'the upstream did not answer in time' : 'the upstream could not be reached',
            instance: request.url.split('?')[0],
          });
      },
    });
  }
}

function forwardedHeaders(request: FastifyRequest, headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const priorFor = headers['x-forwarded-for'];
  return {
    ...headers,
    'x-forwarded-for': priorFor ? `${String(priorFor)}, ${request.ip}` : request.ip,
    'x-forwarded-proto': request.protocol,
    'x-forwarded-host': request.headers.host ?? '',
  };
}

function withPolicyCorsHeaders(headers: IncomingHttpHeaders, request: FastifyRequest): IncomingHttpHeaders {
  const rewritten: IncomingHttpHeaders = {};
  for (const name in headers) if (!name.startsWith('access-control-')) rewritten[name] = headers[name];
  const ours = request.cors?.decision.vary;
  const theirs = headers.vary;
  if (ours) rewritten.vary = theirs ? `${String(theirs)}, ${ours}` : ours;
  return rewritten;
}
