/**
 * Part 5: tenant isolation. With an API key scoped to tenant A, every route of the admin API
 * (enumerated from the OpenAPI document at /docs-json) is called against tenant B: B's slug
 * with B's real ids, A's slug with B's ids, slug spellings that might slip past a comparison,
 * and the routes that name no tenant. Every call must be refused (403, or 404) and B's data,
 * read from the database, must be byte-identical afterwards. Only valid keys are used, so the
 * failed-authentication limit never interferes.
 *
 *   npm run reliability:isolation
 */
import pg from 'pg';
import { Checks, writeResult } from './lib/results.js';
import { App, Database } from './lib/stack.js';

const started = Date.now();
const checks = new Checks();
const database = await Database.create();
const admin = await App.admin(database);
const root = admin.client();

const counts = { routes: 0, calls: 0, refused403: 0, refused404: 0, otherRefusals: 0, allowed: 0 };
const answers: Record<string, number> = {};
let routeList: string[] = [];

/** Every row of tenant B, straight from the database. */
async function snapshotOf(tenantId: string): Promise<string> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const parts: unknown[] = [];
    for (const [table, column] of [
      ['tenants', 'id'],
      ['tenant_hostnames', 'tenant_id'],
      ['cors_policies', 'tenant_id'],
      ['origin_rules', 'tenant_id'],
      ['api_keys', 'tenant_id'],
      ['audit_events', 'tenant_id'],
      ['traffic_refusals', 'tenant_id'],
    ] as const) {
      const { rows } = await client.query(
        `SELECT t::text AS row FROM ${table} t WHERE ${column} = $1 ORDER BY t::text`,
        [tenantId],
      );
      parts.push({ table, rows: rows.map((r: { row: string }) => r.row) });
    }
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM tenants`);
    parts.push({ tenants: rows[0].n });
    return JSON.stringify(parts);
  } finally {
    await client.end();
  }
}

try {
  // Tenant A with its key; tenant B with data of every kind.
  await root.createTenant('tenant-a', { hostnames: ['a.iso.test'] });
  const keyA = (await root.expect(201, 'POST', '/tenants/tenant-a/api-keys', { name: 'a key' })) as { secret: string };
  const b = (await root.createTenant('tenant-b', {
    hostnames: ['b.iso.test'],
    upstreamUrl: 'https://backend.b.iso.test',
  })) as { id: string };
  const originB = await root.addOrigin('tenant-b', 'https://app.b.iso.test');
  await root.expect(201, 'POST', '/tenants/tenant-b/origins', {
    pattern: '^https://pr-[0-9]+\\.b\\.iso\\.test$',
    type: 'regex',
  });
  const keyB = (await root.expect(201, 'POST', '/tenants/tenant-b/api-keys', { name: 'b key' })) as {
    id: string;
    secret: string;
  };
  await root.expect(200, 'PATCH', '/tenants/tenant-b/policy', { version: 1, allowCredentials: true, maxAge: 60 });
  const policyB = (await root.expect(200, 'GET', '/tenants/tenant-b/policy')) as { version: number };
  const before = await snapshotOf(b.id);
  const asA = admin.client(keyA.secret);

  // The routes, from the OpenAPI document.
  const docs = (await fetch(`${admin.url}/docs-json`).then((r) => r.json())) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const routes = Object.entries(docs.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
  routeList = routes.filter((r) => r.path.startsWith('/api/v1/')).map((r) => `${r.method} ${r.path}`);
  // The health routes are public by design; every /api/v1 route is tried.
  counts.routes = routeList.length;
  checks.check(routeList.length >= 15, `only ${routeList.length} API routes in /docs-json`);

  const idFor = (path: string, param: string): string => {
    const before = path.slice(0, path.indexOf(`{${param}}`));
    if (before.endsWith('/origins/')) return originB.id;
    if (before.endsWith('/api-keys/')) return keyB.id;
    return b.id;
  };
  const bodyFor = (method: string, path: string): unknown => {
    if (method === 'GET' || method === 'DELETE') return undefined;
    if (path.endsWith('/tenants')) return { slug: 'made-by-a', name: 'made by A' };
    if (path.endsWith('/policy')) {
      return method === 'PUT'
        ? {
            version: policyB.version,
            allowedMethods: ['GET', 'PUT'],
            allowedHeaders: ['X-A'],
            exposedHeaders: [],
            allowCredentials: false,
            maxAge: 1,
            allowPrivateNetwork: true,
            mode: 'report-only',
          }
        : { version: policyB.version, mode: 'report-only' };
    }
    if (path.endsWith('/origins'))
      return method === 'PUT' ? { origins: [{ origin: 'https://evil.a.test' }] } : { origin: 'https://evil.a.test' };
    if (path.endsWith('/api-keys')) return { name: 'made by A' };
    if (path.endsWith('/check')) return { origin: 'https://app.b.iso.test', method: 'GET' };
    if (/\/tenants\/\{[^}]+\}$/.test(path)) return { name: 'renamed by A', hostnames: ['a.iso.test'] };
    return {};
  };
  const headersFor = (path: string): Record<string, string> =>
    path.endsWith('/policy') ? { 'if-match': `"${policyB.version}"` } : {};

  const call = async (label: string, method: string, path: string, body: unknown, headers: Record<string, string>) => {
    counts.calls++;
    const response = await asA.request(method, path, body, headers);
    answers[response.status] = (answers[response.status] ?? 0) + 1;
    if (response.status === 403) counts.refused403++;
    else if (response.status === 404) counts.refused404++;
    else if (response.status >= 400 && response.status < 500 && response.status !== 429) counts.otherRefusals++;
    else counts.allowed++;
    checks.check(
      response.status === 403 || response.status === 404,
      `${label}: ${method} ${path} answered ${response.status}: ${response.text.slice(0, 200)}`,
    );
  };

  for (const { method, path } of routes) {
    const apiPath = path.replace(/^\/api\/v1/, '');
    if (!apiPath.startsWith('/')) continue;
    const params = [...apiPath.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
    const fill = (slug: string) =>
      params.reduce(
        (p, param) => p.replace(`{${param}}`, param === 'slug' ? slug : encodeURIComponent(idFor(apiPath, param))),
        apiPath,
      );
    const body = bodyFor(method, apiPath);
    const headers = headersFor(apiPath);
    if (!params.includes('slug')) {
      await call('a route naming no tenant', method, fill('tenant-b'), body, headers);
      continue;
    }
    await call("B's slug and ids", method, fill('tenant-b'), body, headers);
    for (const variant of [
      'TENANT-B',
      'Tenant-B',
      '%74enant-b',
      'tenant-b%20',
      'tenant-b%00',
      ' tenant-b',
      'tenant-a%2F..%2Ftenant-b',
    ]) {
      await call(`slug spelled ${variant}`, method, fill(variant), body, headers);
    }
    // A's own slug with B's ids: the id must not reach across tenants.
    if (params.some((p) => p !== 'slug')) {
      counts.calls++;
      const response = await asA.request(method, fill('tenant-a'), body, headers);
      answers[response.status] = (answers[response.status] ?? 0) + 1;
      checks.check(
        response.status === 404 || response.status === 403,
        `A's slug with B's ids: ${method} ${fill('tenant-a')} answered ${response.status}`,
      );
      if (response.status === 404) counts.refused404++;
      else if (response.status === 403) counts.refused403++;
      else counts.allowed++;
    }
  }
  // A raw dot-dot path, not normalised by any client.
  counts.calls++;
  const raw = await fetch(`${admin.url}/api/v1/tenants/tenant-a/../tenant-b/policy`, {
    headers: { authorization: `Bearer ${keyA.secret}` },
  });
  checks.check(raw.status === 403 || raw.status === 404, `dot-dot path answered ${raw.status}`);

  const after = await snapshotOf(b.id);
  checks.check(after === before, "tenant B's rows changed");
  // A's key still works: isolation was authorisation, not the failed-authentication limit.
  checks.check((await asA.request('GET', '/tenants/tenant-a/policy')).status === 200, "A's key no longer works on A");
  checks.check(
    (await admin.client(keyB.secret).request('GET', '/tenants/tenant-b/origins')).status === 200,
    "B's own key no longer works on B",
  );
} catch (error) {
  checks.check(false, `the run stopped: ${(error as Error).stack ?? String(error)}`);
} finally {
  checks.check(admin.alive, 'the admin process died');
  await admin.stop();
  await database.destroy();
}

await writeResult('isolation', started, checks.failures, {
  ...counts,
  answersByStatus: answers,
  dataOfBChanged: checks.failures.some((f) => f.includes('rows changed')),
  routesTried: routeList,
});
process.exitCode = checks.failures.length === 0 ? 0 : 1;
