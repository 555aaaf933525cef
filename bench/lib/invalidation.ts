import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { allowedOriginOf, INVALIDATION_FIRST_TENANT, slugOf } from './bench-tenants.js';
import { repoRoot } from './dist.js';
import { probe } from './http-probe.js';
import { gatewayEnv, type BenchOptions } from './scenarios.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

export interface InvalidationResult {
  readonly changes: number;
  /** What made the changes, and so where each measurement starts. */
  readonly writer: 'admin-api' | 'sql';
  readonly writerNote: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
  /** Changes not visible within {@link VISIBLE_WITHIN_MS}. */
  readonly failures: number;
  /** Mean time of the write itself (request sent to commit returned). */
  readonly meanWriteMs: number;
}

const VISIBLE_WITHIN_MS = 5000;

interface Writer {
  readonly kind: InvalidationResult['writer'];
  readonly note: string;
  addOrigin(slug: string, origin: string): Promise<void>;
  /** Undefined when this writer only adds origins. */
  setMaxAge?(slug: string, maxAge: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Scenario 7: each change is written (through the admin API when it is available, else as
 * the same committed SQL the admin API's transaction runs) while a separate gateway process
 * holds the tenant's policy in its cache; the latency runs from the write returning (commit
 * done) until that gateway answers with the new policy, polled over one kept-alive connection.
 */
export async function measureInvalidation(databaseUrl: string, options: BenchOptions): Promise<InvalidationResult> {
  const gateway = await startServerProcess('gateway (invalidation)', 'gateway.server.ts', { env: gatewayEnv(databaseUrl, 10_000) });
  const writer = await openWriter(databaseUrl, options);
  options.log(`  7 invalidation: ${options.changes} changes via ${writer.kind === 'admin-api' ? 'the admin API' : 'committed SQL'}`);
  const latencies: number[] = [];
  const writes: number[] = [];
  let failures = 0;
  try {
    for (let change = 0; change < options.changes; change++) {
      const tenant = INVALIDATION_FIRST_TENANT + change;
      const slug = slugOf(tenant);
      const changePolicy = writer.setMaxAge !== undefined && change % 2 === 1;
      const newOrigin = `https://change-${change}.example.org`;
      const maxAge = 1000 + change;
      const url = `${gateway.url}/t/${slug}/echo`;
      const check = changePolicy
        ? () =>
            probe(url, {
              method: 'OPTIONS',
              headers: { origin: allowedOriginOf(tenant), 'access-control-request-method': 'POST' },
            }).then((response) => response.headers['access-control-max-age'] === String(maxAge))
        : () => probe(url, { headers: { origin: newOrigin } }).then((response) => response.status === 200);

      // The gateway holds the tenant's current policy before the change.
      if (await check()) throw new Error(`change ${change} is visible before it was made`);
      const writeStarted = performance.now();
      if (changePolicy) await writer.setMaxAge!(slug, maxAge);
      else await writer.addOrigin(slug, newOrigin);
      const committed = performance.now();
      writes.push(committed - writeStarted);
      let visible = false;
      while (!(visible = await check()) && performance.now() - committed < VISIBLE_WITHIN_MS);
      if (visible) latencies.push(performance.now() - committed);
      else failures++;
    }
  } finally {
    await writer.close();
    await gateway.stop();
  }
  const sorted = latencies.sort((a, b) => a - b);
  const percentile = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
  return {
    changes: options.changes,
    writer: writer.kind,
    writerNote: writer.note,
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    maxMs: sorted.at(-1) ?? NaN,
    meanMs: sorted.reduce((sum, value) => sum + value, 0) / (sorted.length || 1),
    failures,
    meanWriteMs: writes.reduce((sum, value) => sum + value, 0) / (writes.length || 1),
  };
}

async function openWriter(databaseUrl: string, options: BenchOptions): Promise<Writer> {
  const unavailable = await adminApiWriter(databaseUrl).catch((error: unknown) => String((error as Error).message ?? error));
  if (typeof unavailable !== 'string') return unavailable;
  options.log(`    admin API not usable (${unavailable}); writing with SQL`);
  return sqlWriter(databaseUrl, `admin API not usable: ${unavailable}`);
}

/** The admin API in a process of its own, if it is built and serves the origins endpoint. */
async function adminApiWriter(databaseUrl: string): Promise<Writer> {
  if (!existsSync(join(repoRoot, 'dist', 'apps', 'admin', 'src', 'admin.app.js'))) throw new Error('not built');
  const token = randomBytes(24).toString('base64url');
  const admin: ServerProcess = await startServerProcess('admin', 'admin.server.ts', {
    env: { DATABASE_URL: databaseUrl, ADMIN_TOKEN: token, LOG_LEVEL: 'silent' },
  });
  const addOrigin = async (slug: string, origin: string) => {
    const response = await fetch(`${admin.url}/api/v1/tenants/${slug}/origins`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ origin }),
    });
    if (response.status !== 201) throw new Error(`POST /api/v1/tenants/${slug}/origins answered ${response.status}`);
  };
  try {
    // A tenant no scenario uses, to find out whether the endpoint exists yet.
    await addOrigin(slugOf(INVALIDATION_FIRST_TENANT - 1), 'https://probe.example.org');
  } catch (error) {
    await admin.stop();
    throw error;
  }
  return { kind: 'admin-api', note: 'POST /api/v1/tenants/{slug}/origins, from the response', addOrigin, close: () => admin.stop() };
}

/** The statements the admin API commits, run directly: the triggers notify as they would. */
async function sqlWriter(databaseUrl: string, note: string): Promise<Writer> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return {
    kind: 'sql',
    note: `${note}; measured from the committed SQL write (INSERT into origin_rules / UPDATE of cors_policies) returning`,
    addOrigin: async (slug, origin) => {
      await client.query(
        `INSERT INTO origin_rules (id, tenant_id, kind, value) SELECT gen_random_uuid(), id, 'exact', $2 FROM tenants WHERE slug = $1`,
        [slug, origin],
      );
    },
    setMaxAge: async (slug, maxAge) => {
      await client.query(
        `UPDATE cors_policies SET max_age = $2, version = version + 1, updated_at = now()
          WHERE tenant_id = (SELECT id FROM tenants WHERE slug = $1)`,
        [slug, maxAge],
      );
    },
    close: () => client.end(),
  };
}
