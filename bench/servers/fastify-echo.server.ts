// Baseline and static servers: a bare Fastify app answering the gateway's echo, without CORS
// (BENCH_SERVER_MODE=bare) or with @fastify/cors configured statically with one bench
// policy (BENCH_SERVER_MODE=static, BENCH_POLICY=simple|credentialed; see bench-tenants.ts).
// Runs in a process of its own, like the gateway.
//
// The handler does exactly the work of the gateway's tenant route after its CORS hook: the
// same `tenantPathOf` and `echo` functions, imported from the build. An echo of its own (it
// was `Object.fromEntries(Object.entries(headers).filter(...))`) cost the peers more per
// request than the gateway's `for…in` copy, and hid part of the gap (issue 13).
import cors from '@fastify/cors';
import Fastify from 'fastify';
import { benchPolicy } from '../lib/bench-tenants.js';
import { importBuilt } from '../lib/dist.js';
import { serveCommands } from '../lib/server-process.js';

type EchoModule = typeof import('../../apps/gateway/src/echo/echo.js');
type TenantPathModule = typeof import('../../apps/gateway/src/proxy/tenant-path.js');

const { echo } = await importBuilt<EchoModule>('apps/gateway/src/echo/echo.ts');
const { tenantRequestOf } = await importBuilt<TenantPathModule>('apps/gateway/src/proxy/tenant-path.ts');

const mode = process.env.BENCH_SERVER_MODE ?? 'bare';

const app = Fastify({ logger: false });
if (mode === 'static') {
  const { origin, methods, allowedHeaders, exposedHeaders, ...rest } = benchPolicy(process.env.BENCH_POLICY).staticCors;
  await app.register(cors, { origin: [...origin], methods: [...methods], allowedHeaders: [...allowedHeaders], exposedHeaders: [...exposedHeaders], ...rest });
}

app.all<{ Params: { slug: string } }>('/t/:slug/*', (request, reply) => {
  const slug = request.params.slug;
  const pathname = tenantRequestOf(request.url, slug).path.split('?')[0]!;
  if (pathname === '/echo') return reply.send(echo(request, slug, pathname));
  return reply.code(404).send();
});

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
serveCommands(typeof address === 'object' && address ? address.port : 0, () => app.close());
