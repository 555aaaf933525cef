// A peer of the cross-check (run.sh): a Fastify 5 app with issue 13's `/t/:slug/echo` route,
// bare or with @fastify/cors configured statically with one of the two policies.
//
//   node bench/crosscheck/peer.mjs <port> bare|simple|credentialed
//
// Plain JavaScript that imports nothing of this repository: the cross-check is a second opinion
// on `npm run bench`, so it shares none of its code (its peers import the gateway's echo).
// in-process-peer.mjs starts one inside another process through startPeer.
import cors from '@fastify/cors';
import Fastify from 'fastify';
import { pathToFileURL } from 'node:url';

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

// What the gateway's echo answers (SPEC): the tenant, method, path and the request's headers
// without credentials.
const HIDDEN = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** Whether `mode` names a peer: bare, or one of the policies. */
export function isPeerMode(mode) {
  return mode === 'bare' || Object.hasOwn(POLICIES, mode);
}

/** Starts the peer of `mode` on 127.0.0.1:`port`. */
export async function startPeer(port, mode) {
  const app = Fastify({ logger: false });
  if (mode !== 'bare') await app.register(cors, POLICIES[mode]);
  app.all('/t/:slug/echo', (request, reply) => {
    const headers = {};
    for (const name in request.headers) if (!HIDDEN.has(name)) headers[name] = request.headers[name];
    return reply.send({ tenant: request.params.slug, method: request.method, path: '/echo', headers });
  });
  await app.listen({ port: Number(port), host: '127.0.0.1' });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [port, mode] = process.argv.slice(2);
  if (!port || !isPeerMode(mode)) {
    console.error('usage: node bench/crosscheck/peer.mjs <port> bare|simple|credentialed');
    process.exit(2);
  }
  await startPeer(port, mode);
}
