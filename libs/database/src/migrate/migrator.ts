import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { defaultMigrationsDir, readMigrationFiles } from './migration-files.js';

/**
 * Prisma's own advisory-lock key for `migrate deploy`: taking the same lock means this runner
 * and Prisma's engine never apply migrations to one database at the same time.
 */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

// The table exactly as Prisma's schema engine creates it, so `prisma migrate deploy` run later
// on a connected machine sees these migrations as applied.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrateOptions {
  readonly databaseUrl: string;
  readonly migrationsDir?: string;
  /** Progress lines for a person watching start-up. */
  readonly log?: (message: string) => void;
}

export interface MigrateResult {
  readonly applied: readonly string[];
  readonly alreadyApplied: readonly string[];
}

/** A migration whose SQL failed; nothing of it was applied or recorded. */
export class MigrationFailedError extends Error {
  constructor(
    readonly migrationName: string,
    override readonly cause: Error,
  ) {
    super(`migration ${migrationName} failed and was rolled back: ${cause.message}`);
    this.name = 'MigrationFailedError';
  }
}

/**
 * Applies pending migrations of `prisma/migrations` without Prisma's downloaded schema engine
 * (which cannot be fetched offline), recording them in `_prisma_migrations` as Prisma does.
 *
 * Unlike `prisma migrate deploy`, each migration runs in one transaction together with its
 * bookkeeping row: a failing migration leaves neither half-applied SQL nor a "failed" row
 * behind, and can simply be re-run once fixed. Migrations therefore must not use statements
 * that refuse to run in a transaction (`CREATE INDEX CONCURRENTLY`).
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const log = options.log ?? (() => undefined);
  const files = await readMigrationFiles(options.migrationsDir ?? defaultMigrationsDir());
  const client = new pg.Client({ connectionString: options.databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
    try {
      await client.query(CREATE_MIGRATIONS_TABLE);
      const recorded = await recordedMigrations(client);
      const applied: string[] = [];
      const alreadyApplied: string[] = [];
      for (const file of files) {
        const row = recorded.get(file.name);
        if (row?.finished) {
          if (row.checksum !== file.checksum) log(`warning: migration ${file.name} was edited after it was applied`);
          alreadyApplied.push(file.name);
          continue;
        }
        if (row) {
          throw new Error(
            `migration ${file.name} is recorded as failed in _prisma_migrations (by Prisma's engine); ` +
              'resolve it with `prisma migrate resolve` before migrating again',
          );
        }
        log(`applying migration ${file.name}`);
        await applyOne(client, file.name, file.checksum, file.sql);
        applied.push(file.name);
      }
      log(applied.length ? `applied ${applied.length} migration(s)` : 'database schema is up to date');
      return { applied, alreadyApplied };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
    }
  } finally {
    await client.end();
  }
}

async function recordedMigrations(client: pg.ClientBase): Promise<Map<string, { checksum: string; finished: boolean }>> {
  const result = await client.query<{ migration_name: string; checksum: string; finished: boolean }>(
    `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished
       FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
  );
  return new Map(result.rows.map((row) => [row.migration_name, { checksum: row.checksum, finished: row.finished }]));
}

async function applyOne(client: pg.Client, name: string, checksum: string, sql: string): Promise<void> {
  await client.query('BEGIN');
  try {
    const id = randomUUID();
    await client.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [id, checksum, name],
    );
    await client.query(sql);
    await client.query(
      `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw new MigrationFailedError(name, error as Error);
  }
}
