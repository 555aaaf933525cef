// Baseline and static servers: a bare Fastify app answering the gateway's echo, without CORS
// (BENCH_SERVER_MODE=bare) or with @fastify/cors configured statically with one bench
// policy (BENCH_SERVER_MODE=static, BENCH_POLICY=simple|credentialed; see bench-tenants.ts).
// Runs in a process of its own, like the gateway.
//
// The route is issue 13's `/t/:slug/echo`, as a user's app declares its routes; the gateway,
// which serves every path of a tenant, routes `/t/:slug/*` and finds the tenant's path, and
// that is part of its cost. The answer is the gateway's `echo`, imported from the build: an
// echo of its own (it was `Object.fromEntries(Object.entries(headers).filter(...))`) cost the
// peers more per request than the gateway's `for…in` copy, and hid part of the gap (issue 13).
import cors from '@fastify/cors';
import Fastify from 'fastify';
import { benchPolicy } from '../lib/bench-tenants.js';
import { importBuilt } from '../lib/dist.js';
import { serveCommands } from '../lib/server-process.js';

type EchoModule = typeof import('../../apps/gateway/src/echo/echo.js');

const { echo } = await importBuilt<EchoModule>('apps/gateway/src/echo/echo.ts');

const mode = process.env.BENCH_SERVER_MODE ?? 'bare';

const app = Fastify({ logger: false });
if (mode === 'static') {
  const { origin, methods, allowedHeaders, exposedHeaders, ...rest } = benchPolicy(process.env.BENCH_POLICY).staticCors;
  await app.register(cors, { origin: [...origin], methods: [...methods], allowedHeaders: [...allowedHeaders], exposedHeaders: [...exposedHeaders], ...rest });
}

app.all<{ Params: { slug: string } }>('/t/:slug/echo', (request, reply) => reply.send(echo(request, request.params.slug, '/echo')));

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
serveCommands(typeof address === 'object' && address ? address.port : 0, () => app.close());
