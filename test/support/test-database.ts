import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from '../../libs/database/src/index.js';
import { TEST_SERVER_URL_VARIABLE } from './test-server.js';

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env[TEST_SERVER_URL_VARIABLE];
  if (!url) throw new Error(`${TEST_SERVER_URL_VARIABLE} is not set: run the tests through jest's global setup`);
  return url;
}

/** The URL of database `name` on the test server. */
export function databaseUrl(name: string): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  return url.toString();
}

/**
 * A fresh, empty database of its own for one test file, so files run in parallel without
 * seeing each other's rows. Migrated unless `migrated: false`.
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `corsmesh_test_${randomBytes(6).toString('hex')}`;
  await onServer((client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
  const url = databaseUrl(name);
  if (options.migrated ?? true) await migrate({ databaseUrl: url });
  return {
    name,
    url,
    drop: async () => {
      await onServer((client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
    },
  };
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
