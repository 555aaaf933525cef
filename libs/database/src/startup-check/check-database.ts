import pg from 'pg';
import { defaultMigrationsDir, readMigrationFiles } from '../migrate/migration-files.js';
import { DatabaseUnavailableError } from './database-unavailable.error.js';

const CONNECT_TIMEOUT_MS = 5000;

/**
 * Checks, before an app starts serving, that `databaseUrl` answers and has every migration of
 * this build applied, so a wrong URL or a forgotten `db:migrate` stops start-up with one line
 * saying so instead of an app that starts and then fails every request.
 */
export async function assertDatabaseReady(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An 'error' after connecting (the server going away) must not crash the check.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    throw explainConnectionFailure(error, databaseUrl);
  }
  try {
    const expected = (await readMigrationFiles(defaultMigrationsDir())).map((file) => file.name);
    const table = await client.query<{ present: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`);
    const applied = table.rows[0]?.present
      ? new Set(
          (await client.query<{ migration_name: string }>(
            `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
          )).rows.map((row) => row.migration_name),
        )
      : new Set<string>();
    const pending = expected.filter((name) => !applied.has(name));
    if (pending.length > 0) {
      throw new DatabaseUnavailableError(
        `the database at ${where(databaseUrl)} lacks ${pending.length} migration(s) of this build (first: ${pending[0]}): ` +
          'run `npm run db:migrate` with this DATABASE_URL, then start again',
      );
    }
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Turns a failure to connect to `databaseUrl` into a {@link DatabaseUnavailableError} naming the
 * cause and the fix (the password is never part of it); other errors are returned as they are.
 */
export function explainConnectionFailure(error: unknown, databaseUrl: string): unknown {
  const reason = connectionFailureReason(error, databaseUrl);
  return reason ? new DatabaseUnavailableError(reason, { cause: error }) : error;
}

function connectionFailureReason(error: unknown, databaseUrl: string): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: string }).code ?? '';
  const at = where(databaseUrl);
  const user = userOf(databaseUrl);
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot reach PostgreSQL at ${at} (connection refused): start PostgreSQL there, or fix the host and port in DATABASE_URL`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot reach PostgreSQL at ${at} (no such host): fix the host name in DATABASE_URL`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `cannot reach PostgreSQL at ${at} (${code}): check that the host is up and reachable, or fix DATABASE_URL`;
    case '28P01':
      return `PostgreSQL at ${at} refused the password for user "${user}": fix the user name or password in DATABASE_URL`;
    case '28000':
      return `PostgreSQL at ${at} refused user "${user}" (${error.message}): fix DATABASE_URL or the server's pg_hba.conf`;
    case '3D000':
      return `PostgreSQL at ${at} has no database named in DATABASE_URL (${error.message}): create it, or fix the database name in DATABASE_URL`;
    default:
      if (/timeout/i.test(error.message)) {
        return `cannot reach PostgreSQL at ${at}: no answer within ${CONNECT_TIMEOUT_MS / 1000} s; check that the host is up and reachable, or fix DATABASE_URL`;
      }
      return undefined;
  }
}

/** host:port/database of a URL, without its credentials. */
function where(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

function userOf(databaseUrl: string): string {
  try {
    return decodeURIComponent(new URL(databaseUrl).username);
  } catch {
    return '';
  }
}
