import { createServer, type Server } from 'node:http';

/** A site on another origin: one page, which shows what its last call to the gateway did. */
export function startPartnerSite(): Promise<Server> {
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner app</title></head>' +
    '<body style="font-family: sans-serif; margin: 2rem"><h1>Partner app</h1><p>Calls the tenant API through the gateway.</p>' +
    '<pre id="result" style="background: #eee; padding: 1rem; white-space: pre-wrap">no call yet</pre></body></html>';
  const server = createServer((request, response) => {
    if (request.url !== '/') {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
