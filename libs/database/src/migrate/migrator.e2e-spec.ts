import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { defaultMigrationsDir, readMigrationFiles } from './migration-files.js';
import { migrate, MigrationFailedError } from './migrator.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('migrate', () => {
  let db: TestDatabase;
  beforeEach(async () => {
    db = await createTestDatabase({ migrated: false });
  });
  afterEach(async () => {
    await db.drop();
  });

  it('applies every migration to an empty database and records it as Prisma does', async () => {
    const files = await readMigrationFiles(defaultMigrationsDir());
    const result = await migrate({ databaseUrl: db.url });

    expect(result.applied).toEqual(files.map((f) => f.name));
    const rows = await query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number; logs: string | null }>(
      db.url,
      'SELECT migration_name, checksum, finished_at, applied_steps_count, logs FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows).toHaveLength(files.length);
    for (const [index, row] of rows.entries()) {
      const sql = await readFile(join(defaultMigrationsDir(), row.migration_name, 'migration.sql'));
      expect(row.migration_name).toBe(files[index]!.name);
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(row.logs).toBeNull();
    }
    const tables = await query<{ tablename: string }>(db.url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
    expect(tables.map((t) => t.tablename)).toEqual(
      expect.arrayContaining(['tenants', 'tenant_hostnames', 'cors_policies', 'origin_rules', 'api_keys', 'audit_events']),
    );
  });

  it('is a no-op when run again', async () => {
    await migrate({ databaseUrl: db.url });
    const second = await migrate({ databaseUrl: db.url });

    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied.length).toBeGreaterThan(0);
    const [count] = await query<{ n: string }>(db.url, 'SELECT count(*) AS n FROM "_prisma_migrations"');
    expect(Number(count!.n)).toBe(second.alreadyApplied.length);
  });

  it('applies each migration once when several processes migrate at the same time', async () => {
    const results = await Promise.all([1, 2, 3, 4].map(() => migrate({ databaseUrl: db.url })));

    const appliedCounts = results.map((r) => r.applied.length);
    expect(appliedCounts.filter((n) => n > 0)).toHaveLength(1);
    const rows = await query<{ migration_name: string; n: string }>(
      db.url,
      'SELECT migration_name, count(*) AS n FROM "_prisma_migrations" GROUP BY 1',
    );
    expect(rows.every((row) => Number(row.n) === 1)).toBe(true);
  });

  describe('with a failing migration', () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(join(tmpdir(), 'corsmesh-migrations-'));
      await cp(defaultMigrationsDir(), dir, { recursive: true });
      await mkdir(join(dir, '29991231000000_added_broken_table'));
      await writeFile(
        join(dir, '29991231000000_added_broken_table', 'migration.sql'),
        'CREATE TABLE "half_written" (id INT);\nALTER TABLE "no_such_table" ADD COLUMN x INT;\n',
      );
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('reports the SQL error and records nothing of the failed migration', async () => {
      const failure = migrate({ databaseUrl: db.url, migrationsDir: dir });

      await expect(failure).rejects.toBeInstanceOf(MigrationFailedError);
      await expect(failure).rejects.toThrow(/29991231000000_added_broken_table.*relation "no_such_table" does not exist/);
      const rows = await query<{ migration_name: string }>(db.url, 'SELECT migration_name FROM "_prisma_migrations"');
      expect(rows.map((r) => r.migration_name)).not.toContain('29991231000000_added_broken_table');
      const [halfWritten] = await query<{ present: boolean }>(db.url, `SELECT to_regclass('half_written') IS NOT NULL AS present`);
      expect(halfWritten!.present).toBe(false);
    });

    it('applies the fixed migration on the next run', async () => {
      await expect(migrate({ databaseUrl: db.url, migrationsDir: dir })).rejects.toThrow();
      await writeFile(join(dir, '29991231000000_added_broken_table', 'migration.sql'), 'CREATE TABLE "half_written" (id INT);\n');

      const result = await migrate({ databaseUrl: db.url, migrationsDir: dir });

      expect(result.applied).toEqual(['29991231000000_added_broken_table']);
    });
  });
});
