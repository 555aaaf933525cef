import type { DynamicModule, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { type FastifyInstance, type FastifyServerFactory, LogController } from 'fastify';
import type { Logger } from 'pino';
import type { TrustProxySetting } from '#config';
import { lazyChildLoggerFactory } from './lazy-request-logger.js';
import { PinoLoggerService } from './pino-logger.service.js';
import { compileTrustedHop } from './trusted-proxy.js';

export interface CreateAppOptions {
  readonly logger: Logger;
  /** Largest request body accepted, in bytes; larger ones get 413. */
  readonly bodyLimit: number;
  /** Which proxies in front may set `X-Forwarded-*` (none by default). */
  readonly trustProxy?: TrustProxySetting;
  /**
   * Runs on the Fastify instance before Nest registers its routes: content-type parsers, and
   * `onRoute` hooks that see each route's options (e.g. a larger `bodyLimit` for one route).
   */
  readonly configureFastify?: (instance: FastifyInstance) => void;
  /** Makes the HTTP server Fastify listens on (Fastify's `serverFactory`), e.g. to hand some requests elsewhere. */
  readonly serverFactory?: FastifyServerFactory;
}

/**
 * A Nest application on Fastify with the app's pino logger for both request logs and Nest's
 * messages, initialised (routes and hooks registered) but not yet listening. Signals are the
 * caller's to handle, so one process can run and stop several apps and an embedded database.
 */
export async function createNestFastifyApp(
  module: Type<unknown> | DynamicModule,
  options: CreateAppOptions,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    loggerInstance: options.logger,
    bodyLimit: options.bodyLimit,
    trustProxy: compileTrustedHop(options.trustProxy ?? false),
    ...(options.serverFactory ? { serverFactory: options.serverFactory } : {}),
    // No app of this project uses Nest (Express-style) middleware; without it there is no
    // @fastify/middie hook on every request (about 8% of the gateway's CPU under load).
    skipMiddie: true,
    // One line per request is too much for a gateway under load; debug level turns it on.
    // Each request's child logger is made when it first logs (most requests never do).
    childLoggerFactory: lazyChildLoggerFactory,
    logController: requestLogController(options.logger),
  });
  options.configureFastify?.(adapter.getInstance() as unknown as FastifyInstance);
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: new PinoLoggerService(options.logger),
    abortOnError: false,
  });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/** Fastify's request logging: one line per request is too much for a gateway under load, so only at debug level. */
export function requestLogController(logger: Logger): LogController {
  return new LogController({ disableRequestLogging: !logsRequests(logger) });
}

/** Whether the logger's level is one that logs every request (debug or trace). */
export function logsRequests(logger: Logger): boolean {
  return logger.level === 'debug' || logger.level === 'trace';
}
