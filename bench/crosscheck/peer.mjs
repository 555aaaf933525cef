// A peer of the cross-check (run.sh): a Fastify 5 app with issue 13's `/t/:slug/echo` route,
// bare or with @fastify/cors configured statically with one of the two policies.
//
//   node bench/crosscheck/peer.mjs <port> bare|simple|credentialed
//
// Plain JavaScript that imports nothing of this repository: the cross-check is a second opinion
// on `npm run bench`, so it shares none of its code (its peers import the gateway's echo).
import cors from '@fastify/cors';
import Fastify from 'fastify';

// The @fastify/cors options equivalent to the policies in tenants.json.
const POLICIES = {
  simple: {
    origin: ['https://app.simple.example.com', /^https:\/\/.+\.simple\.example\.com$/],
    methods: ['GET', 'HEAD', 'POST'],
    allowedHeaders: ['content-type'],
    exposedHeaders: ['x-request-id'],
    maxAge: 600,
    credentials: false,
  },
  credentialed: {
    origin: ['https://app.example.com', /^https:\/\/.+\.example\.org$/],
    methods: ['GET', 'HEAD', 'POST', 'PUT'],
    allowedHeaders: ['content-type', 'x-request-id'],
    exposedHeaders: ['x-request-id'],
    maxAge: 600,
    credentials: true,
  },
};

const [port, mode] = process.argv.slice(2);
if (!port || !(mode === 'bare' || mode in POLICIES)) {
  console.error('usage: node bench/crosscheck/peer.mjs <port> bare|simple|credentialed');
  process.exit(2);
}

const app = Fastify({ logger: false });
if (mode !== 'bare') await app.register(cors, POLICIES[mode]);

// What the gateway's echo answers (SPEC): the tenant, method, path and the request's headers
// without credentials.
const HIDDEN = new Set(['authorization', 'cookie', 'proxy-authorization']);
app.all('/t/:slug/echo', (request, reply) => {
  const headers = {};
  for (const name in request.headers) if (!HIDDEN.has(name)) headers[name] = request.headers[name];
  return reply.send({ tenant: request.params.slug, method: request.method, path: '/echo', headers });
});

await app.listen({ port: Number(port), host: '127.0.0.1' });
