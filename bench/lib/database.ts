import { createServer } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { allowedOriginOf, CREDENTIALED_POLICY, CREDENTIALED_SLUG, HOT_TENANT, PATH_RULES, PATH_RULES_SLUG, TENANT_COUNT, wildcardRuleOf } from './bench-tenants.js';
import { importBuilt, repoRoot } from './dist.js';

type DatabaseModule = typeof import('../../libs/database/src/index.js');

/** The benchmark's database: a fresh `corsmesh_bench` database, migrated and seeded. */
export interface BenchDatabase {
  readonly url: string;
  /** Where it runs: `embedded` or the server of `DATABASE_URL`. */
  readonly server: string;
  readonly version: string;
  stop(): Promise<void>;
}

const BENCH_DATABASE = 'corsmesh_bench';

/**
 * Uses the server of `DATABASE_URL` when given (its role needs CREATEDB, as for the tests),
 * otherwise an embedded PostgreSQL kept in `.data/bench` on a free port. Either way the
 * benchmark works in a database of its own, recreated on every run, so it never touches
 * application data.
 */
export async function openBenchDatabase(databaseUrl: string | undefined, log: (line: string) => void): Promise<BenchDatabase> {
  const { startEmbeddedDatabase, migrate } = await importBuilt<DatabaseModule>('libs/database/src/index.ts');
  let adminUrl: string;
  let stop = async () => undefined as void;
  let server: string;
  if (databaseUrl) {
    adminUrl = databaseUrl;
    server = `DATABASE_URL (${new URL(databaseUrl).host})`;
  } else {
    const embedded = await startEmbeddedDatabase({ dataDir: join(repoRoot, '.data', 'bench'), port: await freePort(), log });
    adminUrl = embedded.adminUrl;
    stop = () => embedded.stop();
    server = 'embedded';
  }
  try {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${BENCH_DATABASE}`);
    } finally {
      await admin.end();
    }
    const url = new URL(adminUrl);
    url.pathname = `/${BENCH_DATABASE}`;
    await migrate({ databaseUrl: url.href });
    log(`seeding ${TENANT_COUNT.toLocaleString('en')} tenants`);
    const version = await seed(url.href, TENANT_COUNT);
    return { url: url.href, server, version, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Inserts `count` tenants with one policy and two origin rules each, every tenth with a
 * hostname of its own as a production database has (without any, PostgreSQL rightly plans a
 * sequential scan of the empty hostname table), in set-based statements.
 * The triggers are disabled meanwhile: no gateway runs yet, 300,000 change notices in one
 * transaction would only slow the seed down, and the policy documents are built once at the
 * end, in one statement, rather than once per insert.
 */
async function seed(databaseUrl: string, count: number): Promise<string> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const tables = ['tenants', 'cors_policies', 'origin_rules', 'tenant_hostnames'];
    await client.query('BEGIN');
    for (const table of tables) await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    await client.query(
      `INSERT INTO tenants (id, slug, name, updated_at)
       SELECT md5('tenant-' || i)::uuid, 'bench-' || i, 'Bench tenant ' || i, now() FROM generate_series(0, $1::int - 1) AS i`,
      [count],
    );
    await client.query(
      `INSERT INTO cors_policies (tenant_id, exposed_headers)
       SELECT md5('tenant-' || i)::uuid, ARRAY['X-Request-Id'] FROM generate_series(0, $1::int - 1) AS i`,
      [count],
    );
    await client.query(
      `INSERT INTO origin_rules (id, tenant_id, kind, value)
       SELECT md5('exact-' || i)::uuid, md5('tenant-' || i)::uuid, 'exact'::"OriginRuleKind", 'https://app.tenant-' || i || '.example.com'
         FROM generate_series(0, $1::int - 1) AS i
       UNION ALL
       SELECT md5('wildcard-' || i)::uuid, md5('tenant-' || i)::uuid, 'wildcard'::"OriginRuleKind", 'https://*.tenant-' || i || '.example.com'
         FROM generate_series(0, $1::int - 1) AS i`,
      [count],
    );
    await client.query(
      `INSERT INTO tenant_hostnames (hostname, tenant_id)
       SELECT 'api.tenant-' || i || '.example.com', md5('tenant-' || i)::uuid FROM generate_series(0, $1::int - 1, 10) AS i`,
      [count],
    );
    await client.query(
      `INSERT INTO tenants (id, slug, name, updated_at) VALUES (md5('credentialed')::uuid, $1, 'Issue 13 policy', now())`,
      [CREDENTIALED_SLUG],
    );
    const policy = CREDENTIALED_POLICY;
    await client.query(
      `INSERT INTO cors_policies (tenant_id, allowed_methods, allowed_headers, exposed_headers, allow_credentials, max_age)
       VALUES (md5('credentialed')::uuid, $1, $2, $3, $4, $5)`,
      [policy.allowedMethods, policy.allowedHeaders, policy.exposedHeaders, policy.allowCredentials, policy.maxAge],
    );
    await client.query(
      `INSERT INTO origin_rules (id, tenant_id, kind, value)
       VALUES (md5('credentialed-exact')::uuid, md5('credentialed')::uuid, 'exact', $1),
              (md5('credentialed-wildcard')::uuid, md5('credentialed')::uuid, 'wildcard', $2)`,
      [policy.origins[0], policy.origins[1]],
    );
    await client.query(`INSERT INTO tenants (id, slug, name, updated_at) VALUES (md5('path-rules')::uuid, $1, 'Simple policy with path rules', now())`, [PATH_RULES_SLUG]);
    await client.query(`INSERT INTO cors_policies (tenant_id, exposed_headers, path_rules) VALUES (md5('path-rules')::uuid, ARRAY['X-Request-Id'], $1)`, [JSON.stringify(PATH_RULES)]);
    await client.query(
      `INSERT INTO origin_rules (id, tenant_id, kind, value)
       VALUES (md5('path-rules-exact')::uuid, md5('path-rules')::uuid, 'exact', $1),
              (md5('path-rules-wildcard')::uuid, md5('path-rules')::uuid, 'wildcard', $2)`,
      [allowedOriginOf(HOT_TENANT), wildcardRuleOf(HOT_TENANT)],
    );
    for (const table of tables) await client.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
    await client.query('SELECT corsmesh_refresh_policy_documents(ARRAY(SELECT id FROM tenants))');
    await client.query('COMMIT');
    // As after any bulk load: sets hint bits and the visibility map now, so that the first
    // read of each row during a measurement does not write (and WAL-log, with checksums) pages.
    await client.query('VACUUM (ANALYZE)');
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
    return rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
