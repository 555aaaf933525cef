// Jest loads this file natively, outside its TypeScript transform, so TypeScript sources are
// imported through tsx (esbuild), which needs no build step.
import { tsImport } from 'tsx/esm/api';

/**
 * Picks the PostgreSQL server the suite runs against: `DATABASE_URL` when set (the role needs
 * CREATEDB), else an embedded server kept under `.data/test`. Each test file then creates its
 * own database on it (see support/test-database.ts).
 */
export default async function globalSetup() {
  const { TEST_SERVER_URL_VARIABLE } = await tsImport('./support/test-server.ts', import.meta.url);
  if (process.env.DATABASE_URL) {
    process.env[TEST_SERVER_URL_VARIABLE] = process.env.DATABASE_URL;
    return;
  }
  const { startEmbeddedDatabase } = await tsImport('../libs/database/src/embedded/embedded-database.ts', import.meta.url);
  const embedded = await startEmbeddedDatabase({
    dataDir: '.data/test',
    port: Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54329),
    log: (message) => process.stderr.write(`[test database] ${message}\n`),
  });
  process.env[TEST_SERVER_URL_VARIABLE] = embedded.adminUrl;
  globalThis.embeddedTestDatabase = embedded;
}
