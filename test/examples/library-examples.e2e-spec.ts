import { execFile } from 'node:child_process';
import { lstat, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import pg from 'pg';
import { addOrigins, createTenant } from '../factories/admin-api.factory.js';
import { type AdminTestApp, startAdminTestApp } from '../support/admin-test-app.js';
import { AppProcess } from '../support/app-process.js';
import { installedPackages, installExample } from '../support/example-install.js';
import { freePort } from '../support/free-port.js';

// The two examples, built as a user builds them: the library packed into a tarball, each example
// copied out of the repository, installed from that tarball with npm and compiled with its own
// tsc, then run as a process of its own against the database a real admin app manages.

const PROJECT = resolve(process.cwd());
const APP = 'https://app.example-shop.test';
const EVIL = 'https://evil.test';

interface Example {
  readonly name: string;
  /** Its tenant API's collection, under /t/<slug>/. */
  readonly resource: string;
  readonly valid: Record<string, unknown>;
  /** A body its handler refuses, and the field it names. */
  readonly invalid: Record<string, unknown>;
  readonly field: string;
}

const EXAMPLES: readonly Example[] = [
  { name: 'nest-express', resource: 'orders', valid: { item: 'green tea', quantity: 2 }, invalid: { quantity: 2 }, field: 'item' },
  { name: 'nest-fastify', resource: 'tickets', valid: { title: 'printer on fire', priority: 'high' }, invalid: { priority: 'high' }, field: 'title' },
];

interface HttpAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One request over a real socket (Node's fetch would not send `Origin` as given). */
function send(port: number, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<HttpAnswer> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((done, fail) => {
    const request = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => done({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString() }));
      },
    );
    request.on('error', fail);
    request.end(payload);
  });
}

const progress = (line: string) => process.stderr.write(`[library examples] ${line}\n`);

let work: string;
let tarball: string;
let admin: AdminTestApp;
const running = new Map<string, { dir: string; port: number; child: AppProcess }>();

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'corsmesh-examples-'));
  // Where the examples' `file:../../dist/packages/…` dependency points from <work>/examples/<name>.
  const packed = await promisify(execFile)(process.execPath, ['scripts/pack-library.mjs', join(work, 'dist', 'packages')], { cwd: PROJECT });
  tarball = packed.stdout.trim();
  progress(`packed ${tarball}`);
  admin = await startAdminTestApp();
  // In parallel: the two installs mostly wait on npm's cache and the registry.
  const dirs = await Promise.all(EXAMPLES.map((example) => installExample(example.name, work, progress)));
  await Promise.all(
    EXAMPLES.map(async (example, index) => {
      const dir = dirs[index];
      const port = await freePort();
      // Named, so that its connections can be told from the admin app's.
      const databaseUrl = new URL(admin.db.url);
      databaseUrl.searchParams.set('application_name', example.name);
      const app = AppProcess.start(join(dir, 'dist', 'main.js'), { DATABASE_URL: databaseUrl.toString(), PORT: String(port), HOST: '127.0.0.1' }, { cwd: dir });
      running.set(example.name, { dir, port, child: app });
      await app.waitForReady(`http://127.0.0.1:${port}/health/ready`);
      progress(`${example.name}: ready on port ${port}`);
    }),
  );
}, 420_000);

afterAll(async () => {
  await Promise.all([...running.values()].map(({ child }) => child.stop()));
  await admin?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

test('each example depends on the tarball npm run pack:library writes, at its current version', async () => {
  const library = JSON.parse(await readFile(join(PROJECT, 'libs', 'dynamic-cors', 'package.json'), 'utf8')) as { version: string };
  expect(tarball).toBe(join(work, 'dist', 'packages', `corsmesh-dynamic-cors-${library.version}.tgz`));
  for (const example of EXAMPLES) {
    const manifest = JSON.parse(await readFile(join(PROJECT, 'examples', example.name, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(manifest.dependencies['@corsmesh/dynamic-cors']).toBe(`file:../../dist/packages/corsmesh-dynamic-cors-${library.version}.tgz`);
  }
});

describe.each(EXAMPLES)('examples/$name', (example) => {
  const app = () => running.get(example.name)!;
  const collection = (slug: string) => `/t/${slug}/${example.resource}`;
  let shop: string;
  let other: string;

  beforeAll(async () => {
    shop = (await createTenant(admin, { slug: `${example.resource}-shop` })).slug;
    other = (await createTenant(admin, { slug: `${example.resource}-other` })).slug;
    await addOrigins(admin, shop, APP);
    await addOrigins(admin, other, APP);
  });

  test('resolves @corsmesh/dynamic-cors from its own node_modules: the tarball, extracted', async () => {
    const { dir } = app();
    expect(relative(PROJECT, dir).startsWith('..')).toBe(true);
    const resolved = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', "for (const name of ['@corsmesh/dynamic-cors', '@corsmesh/dynamic-cors/postgres', '@nestjs/core']) console.log(import.meta.resolve(name))"],
      { cwd: dir },
    );
    for (const url of resolved.stdout.trim().split('\n')) expect(fileURLToPath(url).startsWith(join(dir, 'node_modules') + '/')).toBe(true);
    // A link would mean a path install, reading the repository's files.
    expect((await lstat(join(dir, 'node_modules', '@corsmesh', 'dynamic-cors'))).isSymbolicLink()).toBe(false);
  });

  test('imports only its own files and the packages it depends on', async () => {
    const { dir } = app();
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const files = (await readdir(join(dir, 'src'))).filter((file) => file.endsWith('.ts'));
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) {
      const source = await readFile(join(dir, 'src', file), 'utf8');
      for (const [, specifier] of source.matchAll(/^import\s[^'"]*['"]([^'"]+)['"]/gm)) {
        if (specifier.startsWith('./')) continue;
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
        expect({ file, specifier, dependency: name in manifest.dependencies }).toEqual({ file, specifier, dependency: true });
      }
    }
  });

  test('installs no Prisma (the PostgreSQL source reads with pg alone)', async () => {
    const packages = await installedPackages(app().dir);
    expect(packages.some((path) => path.endsWith('/node_modules/pg'))).toBe(true);
    expect(packages.filter((path) => /prisma/i.test(relative(app().dir, path)))).toEqual([]);
  });

  test('serves an origin added through the admin API within one second', async () => {
    const { port } = app();
    const slug = (await createTenant(admin, { slug: `${example.resource}-new` })).slug;
    const origin = 'https://new.example-shop.test';
    // Asked once before, so that the answer below comes from a change notice, not a first read.
    expect((await send(port, 'GET', collection(slug), { origin })).status).toBe(403);

    const started = performance.now();
    const added = await admin.request({ method: 'POST', url: `/api/v1/tenants/${slug}/origins`, body: { origin } });
    expect(added.statusCode).toBe(201);
    let answer = await send(port, 'GET', collection(slug), { origin });
    while (answer.status !== 200 && performance.now() - started < 5000) {
      await new Promise((next) => setTimeout(next, 10));
      answer = await send(port, 'GET', collection(slug), { origin });
    }
    const elapsed = performance.now() - started;
    progress(`${example.name}: origin served ${Math.round(elapsed)} ms after the admin API was asked to add it`);
    expect(answer.status).toBe(200);
    expect(answer.headers['access-control-allow-origin']).toBe(origin);
    expect(elapsed).toBeLessThan(1000);
  });

  test('refuses an origin not listed with 403 problem+json, before the handler runs', async () => {
    const { port } = app();
    const marker = 'sent from a refused origin';
    const refused = await send(port, 'POST', collection(shop), { origin: EVIL }, { ...example.valid, [example.field]: marker });
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(refused.headers.vary).toContain('Origin');
    expect(JSON.parse(refused.body)).toMatchObject({ status: 403, instance: collection(shop) });
    const list = await send(port, 'GET', collection(shop), { origin: APP });
    expect(list.status).toBe(200);
    expect(JSON.parse(list.body)).not.toContainEqual(expect.objectContaining({ [example.field]: marker }));
  });

  test('answers an allowed preflight with 204 and the policy’s headers', async () => {
    const answer = await send(app().port, 'OPTIONS', collection(shop), {
      origin: APP,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
    expect(answer.status).toBe(204);
    expect(answer.body).toBe('');
    expect(answer.headers['access-control-allow-origin']).toBe(APP);
    expect(answer.headers['access-control-allow-methods']).toContain('POST');
    expect(String(answer.headers['access-control-allow-headers']).toLowerCase()).toContain('content-type');
    expect(answer.headers['access-control-max-age']).toBe('600');
    expect(answer.headers.vary).toContain('Origin');
  });

  test('serves the tenant API with CORS headers on every answer, errors included, one tenant apart from another', async () => {
    const { port } = app();
    const created = await send(port, 'POST', collection(shop), { origin: APP }, example.valid);
    expect(created.status).toBe(201);
    expect(created.headers['access-control-allow-origin']).toBe(APP);
    const { id } = JSON.parse(created.body) as { id: number };

    const list = await send(port, 'GET', collection(shop), { origin: APP });
    expect(list.status).toBe(200);
    expect(list.headers['access-control-allow-origin']).toBe(APP);
    expect(JSON.parse(list.body)).toContainEqual({ id, ...example.valid });
    expect(JSON.parse((await send(port, 'GET', collection(other), { origin: APP })).body)).toEqual([]);
    expect((await send(port, 'GET', `${collection(other)}/${id}`, { origin: APP })).status).toBe(404);

    const invalid = await send(port, 'POST', collection(shop), { origin: APP }, example.invalid);
    expect(invalid.status).toBe(400);
    expect(invalid.headers['access-control-allow-origin']).toBe(APP);
    expect(invalid.body).toContain(example.field);

    const missing = await send(port, 'GET', `${collection(shop)}/999`, { origin: APP });
    expect(missing.status).toBe(404);
    expect(missing.headers['access-control-allow-origin']).toBe(APP);
  });

  test('answers 404 without CORS headers for a tenant that does not exist, and leaves its own routes alone', async () => {
    const { port } = app();
    const unknown = await send(port, 'GET', collection('no-such-tenant'), { origin: APP });
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unknown.headers['access-control-allow-origin']).toBeUndefined();
    expect((await send(port, 'GET', collection('no-such-tenant'))).status).toBe(404);
    const health = await send(port, 'GET', '/health/live', { origin: EVIL });
    expect(health.status).toBe(200);
    expect(health.headers['access-control-allow-origin']).toBeUndefined();
  });

  // Last: it stops the example.
  test('stops on SIGTERM, closing the policy source’s connections', async () => {
    const client = new pg.Client({ connectionString: admin.db.url });
    await client.connect();
    try {
      const connections = async () =>
        (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1', [example.name])).rows[0].n;
      expect(await connections()).toBeGreaterThan(0);
      const started = performance.now();
      await app().child.stop();
      const stopped = performance.now() - started;
      progress(`${example.name}: stopped ${Math.round(stopped)} ms after SIGTERM`);
      expect(stopped).toBeLessThan(5000);
      let left = await connections();
      while (left > 0 && performance.now() - started < 5000) {
        await new Promise((next) => setTimeout(next, 50));
        left = await connections();
      }
      expect(left).toBe(0);
    } finally {
      await client.end();
    }
  });
});
