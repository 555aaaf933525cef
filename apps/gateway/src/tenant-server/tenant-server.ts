import Fastify, { type FastifyInstance, type FastifyServerFactory, type FastifyServerOptions } from 'fastify';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { TrustProxySetting } from '#config';
import { type DynamicCorsOptions, registerDynamicCors } from '#dynamic-cors';
import { PROBLEM_CONTENT_TYPE, problemOf } from '#problem-details';
import { compileTrustedHop, lazyChildLoggerFactory, logsRequests, requestLogController } from '#service-runtime';
import type { UpstreamProxy } from '../proxy/upstream-proxy.js';
import type { TenantAddress } from '../tenancy/tenant-address.js';
import { notFound, registerTenantRoutes } from './tenant-routes.js';

export interface TenantServerOptions {
  readonly logger: Logger;
  /** Largest request body accepted, in bytes; larger ones get 413. */
  readonly bodyLimit: number;
  readonly trustProxy: TrustProxySetting;
  readonly cors: DynamicCorsOptions<TenantAddress>;
  readonly proxy: UpstreamProxy;
}

/** Node's own request handler: what Fastify's `routing` is, and what an HTTP server calls. */
export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * The Fastify instance that serves tenant traffic: the CORS hook, the upstream proxy and the
 * echo, and nothing else. It is not the Nest app's instance: Nest adds six `onRequest` hooks and
 * an `onResponse` hook to every route of its own, and an `onResponse` hook or a Fastify logger
 * makes Fastify time every response with `finish` and `error` listeners; together 4–7% of a
 * tenant request's instructions (issue 13), for nothing tenant traffic uses. Requests reach it
 * through {@link dispatchingServerFactory}, and through the Nest app's catch-all route
 * (`inject()` in tests).
 */
export function createTenantServer(options: TenantServerOptions): FastifyInstance {
  const fastify = Fastify({
    ...loggingOf(options.logger),
    bodyLimit: options.bodyLimit,
    trustProxy: compileTrustedHop(options.trustProxy),
    // The policy source starts in an onReady hook, and its warm-up (POLICY_CACHE_WARM_TENANTS)
    // can take longer than Fastify's 10 s plugin timeout: readiness waits for it instead.
    pluginTimeout: 0,
  }) as unknown as FastifyInstance;
  fastify.setErrorHandler((error, request, reply) => {
    const problem = problemOf(error, request);
    if (problem.status >= 500) options.logger.error({ reqId: request.id, err: error }, 'tenant request failed');
    void reply.code(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  });
  // Every path has a route; a method none takes (PROPFIND) ends here.
  fastify.setNotFoundHandler((request, reply) => notFound(request, reply, `no route for ${request.method} ${request.url.split('?')[0]}`));
  registerDynamicCors(fastify, options.cors);
  options.proxy.register(fastify);
  registerTenantRoutes(fastify, options.proxy);
  return fastify;
}

/**
 * Request logging as the Nest app has it (every request only at debug level). Below that, no
 * Fastify logger at all: Fastify then neither times every response nor makes a child logger per
 * request (a lazy one still cost some 1,400 instructions of a request's 100,000 in Fastify's
 * checks of it, issue 13), and `request.log` logs nothing. The tenant server's own messages
 * (errors, the proxy's warnings, the CORS layer's unavailable policies) go to the gateway's
 * logger with the request id instead.
 */
function loggingOf(logger: Logger): Pick<FastifyServerOptions, 'logger' | 'loggerInstance' | 'childLoggerFactory' | 'logController'> {
  const logController = requestLogController(logger);
  if (logsRequests(logger)) return { loggerInstance: logger, childLoggerFactory: lazyChildLoggerFactory, logController };
  return { logger: false, logController };
}

/**
 * The gateway's HTTP server: a request for the Nest app (the gateway's own routes) goes to its
 * Fastify, any other straight to the tenant server once it is there. Settings Fastify applies
 * to a server it makes itself are applied here too.
 */
export function dispatchingServerFactory(tenantServer: () => RequestHandler | undefined, isForNestApp: (url: string) => boolean): FastifyServerFactory {
  return (nestHandler, fastifyOptions) => {
    const server = createServer((request, response) => {
      const tenants = tenantServer();
      if (tenants === undefined || isForNestApp(request.url ?? '/')) nestHandler(request, response);
      else tenants(request, response);
    });
    const { keepAliveTimeout, maxRequestsPerSocket } = fastifyOptions as { keepAliveTimeout?: number; maxRequestsPerSocket?: number };
    if (keepAliveTimeout !== undefined) server.keepAliveTimeout = keepAliveTimeout;
    if (maxRequestsPerSocket) server.maxRequestsPerSocket = maxRequestsPerSocket;
    return server;
  };
}
