// Baseline and static servers: a bare Fastify app answering the gateway's echo, without CORS
// (BENCH_SERVER_MODE=bare) or with @fastify/cors configured statically with the hot tenant's
// policy (BENCH_SERVER_MODE=static). Runs in a process of its own, like the gateway.
import cors from '@fastify/cors';
import Fastify from 'fastify';
import { staticCorsOptions } from '../lib/bench-tenants.js';
import { serveCommands } from '../lib/server-process.js';

const mode = process.env.BENCH_SERVER_MODE ?? 'bare';
const HIDDEN_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

const app = Fastify({ logger: false });
if (mode === 'static') await app.register(cors, staticCorsOptions());

// The same answer as the gateway's echo handler: {tenant, method, path, headers}.
app.all<{ Params: { slug: string } }>('/t/:slug/echo', (request) => {
  const prefix = `/t/${request.params.slug}`;
  const url = request.url.slice(prefix.length);
  const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !HIDDEN_HEADERS.has(name)));
  return { tenant: request.params.slug, method: request.method, path: url.split('?')[0], headers };
});

await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
serveCommands(typeof address === 'object' && address ? address.port : 0, () => app.close());
