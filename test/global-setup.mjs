// Jest loads this file natively, outside its TypeScript transform, so TypeScript sources are
// imported through tsx (esbuild), which needs no build step.
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';

/**
 * Picks the PostgreSQL server the suite runs against: `DATABASE_URL` when set (the role needs
 * CREATEDB), else an embedded server of this run's own (a fresh cluster on a free port, so
 * runs side by side never share one). Each test file then creates its own database on it
 * (see support/test-database.ts).
 */
export default async function globalSetup() {
  const { TEST_SERVER_URL_VARIABLE } = await tsImport('./support/test-server.ts', import.meta.url);
  if (process.env.DATABASE_URL) {
    process.env[TEST_SERVER_URL_VARIABLE] = process.env.DATABASE_URL;
    return;
  }
  const { startEmbeddedDatabase } = await tsImport('../libs/database/src/embedded/embedded-database.ts', import.meta.url);
  const dataDir = await mkdtemp(join(tmpdir(), 'corsmesh-test-postgres-'));
  const embedded = await startEmbeddedDatabase({
    dataDir,
    port: await freePort(),
    log: (message) => process.stderr.write(`[test database] ${message}\n`),
  });
  process.env[TEST_SERVER_URL_VARIABLE] = embedded.adminUrl;
  globalThis.embeddedTestDatabase = { embedded, dataDir };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
