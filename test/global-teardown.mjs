import { rm } from 'node:fs/promises';

export default async function globalTeardown() {
  const test = globalThis.embeddedTestDatabase;
  if (!test) return;
  await test.embedded.stop();
  await rm(test.dataDir, { recursive: true, force: true });
}
