import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { compileTrustedHop, createNestFastifyApp } from '#service-runtime';
import type { GatewayConfig } from './config/gateway.config.js';
import { limitConnectionsPerClient } from './connections/client-connection-limit.js';
import { GatewayModule } from './gateway.module.js';
import { isForNestApp } from './tenant-server/own-routes.js';
import { TENANT_SERVER } from './tenant-server/tenant-server.module.js';
import { dispatchingServerFactory, type RequestHandler } from './tenant-server/tenant-server.js';

/** The gateway, ready to `listen()` or to be driven with `inject()` in tests. */
export async function createGatewayApp(config: GatewayConfig, logger: Logger): Promise<NestFastifyApplication> {
  let tenantServer: RequestHandler | undefined;
  const app = await createNestFastifyApp(GatewayModule.forRoot(config, logger), {
    logger,
    bodyLimit: config.GATEWAY_BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    // One server: tenant traffic straight to the tenant server, the rest to the Nest app.
    serverFactory: dispatchingServerFactory(() => tenantServer, isForNestApp),
  });
  tenantServer = app.get<symbol, FastifyInstance>(TENANT_SERVER).routing;
  const server = app.getHttpServer() as Server;
  // Node's own bounds on a slow client (checked every 30 s); proxied bodies have a precise
  // deadline of their own (proxy/bounded-body.ts).
  server.headersTimeout = config.HEADERS_TIMEOUT_SECONDS * 1000;
  server.requestTimeout = Math.max(config.REQUEST_TIMEOUT_SECONDS, config.HEADERS_TIMEOUT_SECONDS) * 1000;
  limitConnectionsPerClient(server, config.MAX_CONNECTIONS_PER_CLIENT, compileTrustedHop(config.TRUST_PROXY));
  return app;
}
