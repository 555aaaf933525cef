// The plain NestJS app of the library comparison (bench/lib/library-cost.ts), on the platform
// its server file gives: one `/t/:slug/echo` route answering the gateway's echo, and, by
// BENCH_SERVER_MODE, no CORS (`bare`), Nest's own `cors` option with issue 13's credentialed
// policy (`static`: the `cors` package on Express, `@fastify/cors` on Fastify, each placed
// before Nest's body parsers and middleware, as Nest does it), or the library's module with
// the same policy from `staticPolicySource` (`ours`). The handler and the rest of the app are
// the same in all three, so the differences are what each CORS layer costs.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Module, Param, Req } from '@nestjs/common';
import { type AbstractHttpAdapter, NestFactory } from '@nestjs/core';
import { benchPolicy, CREDENTIALED_POLICY, CREDENTIALED_SLUG } from '../lib/bench-tenants.js';
import { importBuilt } from '../lib/dist.js';
import { serveCommands } from '../lib/server-process.js';

type EchoModule = typeof import('../../apps/gateway/src/echo/echo.js');
type DynamicCorsModule = typeof import('../../libs/dynamic-cors/src/index.js');

const { echo } = await importBuilt<EchoModule>('apps/gateway/src/echo/echo.ts');
const { DynamicCorsModule, staticPolicySource, tenantByPath } = await importBuilt<DynamicCorsModule>('libs/dynamic-cors/src/index.ts');

type EchoRequest = Parameters<typeof echo>[0];

/**
 * Decorated by hand: tsx (esbuild) compiles these scripts without TypeScript's legacy
 * decorators, which Nest's are. The controller has no constructor parameters, so it needs no
 * emitted design metadata either.
 */
class EchoController {
  echo(slug: string, request: EchoRequest) {
    return echo(request, slug, '/echo');
  }
}
Controller()(EchoController);
Param('slug')(EchoController.prototype, 'echo', 0);
Req()(EchoController.prototype, 'echo', 1);
Get('t/:slug/echo')(EchoController.prototype, 'echo', Object.getOwnPropertyDescriptor(EchoController.prototype, 'echo')!);

export type NestEchoMode = 'bare' | 'static' | 'ours';

/** The `cors` / `@fastify/cors` options of the credentialed policy: both packages take the same. */
function staticCorsOptions() {
  const { origin, methods, allowedHeaders, exposedHeaders, ...rest } = benchPolicy('credentialed').staticCors;
  return { origin: [...origin], methods: [...methods], allowedHeaders: [...allowedHeaders], exposedHeaders: [...exposedHeaders], ...rest };
}

function corsModules(mode: NestEchoMode) {
  if (mode !== 'ours') return [];
  const { origins, allowedMethods, allowedHeaders, exposedHeaders, ...rest } = CREDENTIALED_POLICY;
  const source = staticPolicySource({
    [CREDENTIALED_SLUG]: { origins: [...origins], allowedMethods: [...allowedMethods], allowedHeaders: [...allowedHeaders], exposedHeaders: [...exposedHeaders], ...rest },
  });
  return [DynamicCorsModule.forRoot({ source, tenant: tenantByPath('/t/') })];
}

/** Starts the app on `adapter` in the mode of BENCH_SERVER_MODE and answers the bench's commands. */
export async function serveNestEcho(adapter: AbstractHttpAdapter): Promise<void> {
  const mode = (process.env.BENCH_SERVER_MODE ?? 'bare') as NestEchoMode;
  class EchoAppModule {}
  Module({ imports: corsModules(mode), controllers: [EchoController] })(EchoAppModule);
  const app = await NestFactory.create(EchoAppModule, adapter, { logger: false, cors: mode === 'static' ? staticCorsOptions() : false });
  await app.listen(0, '127.0.0.1');
  serveCommands((app.getHttpServer().address() as AddressInfo).port, () => app.close());
}
