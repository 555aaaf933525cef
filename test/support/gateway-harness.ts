import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { createGatewayApp } from '../../apps/gateway/src/gateway.app.js';
import { loadGatewayConfig } from '../../apps/gateway/src/config/gateway.config.js';
import type { Logger } from 'pino';
import { testLogger } from './silent-logger.js';

/** A gateway app on a test database, driven through Fastify's `inject` (real HTTP semantics). */
export class GatewayHarness {
  private constructor(readonly app: NestFastifyApplication) {}

  static async start(databaseUrl: string, env: Record<string, string> = {}, logger: Logger = testLogger()): Promise<GatewayHarness> {
    const config = loadGatewayConfig({ DATABASE_URL: databaseUrl, ...env });
    return new GatewayHarness(await createGatewayApp(config, logger));
  }

  get fastify(): FastifyInstance {
    return this.app.getHttpAdapter().getInstance();
  }

  request(options: InjectOptions) {
    return this.fastify.inject(options);
  }

  /** Listens on a free port of 127.0.0.1, for real HTTP: returns the port. */
  async listen(): Promise<number> {
    await this.app.listen({ port: 0, host: '127.0.0.1' });
    return Number(new URL(await this.app.getUrl()).port);
  }

  close(): Promise<void> {
    return this.app.close();
  }
}

/** Polls until `check` passes or the time is up; returns how long it took, in ms. */
export async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (await check()) return performance.now() - started;
    if (performance.now() - started > ms) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
