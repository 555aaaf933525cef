import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';

export default async function globalTeardown() {
  const test = globalThis.embeddedTestDatabase;
  if (!test) return;
  await test.embedded.stop();
  await rm(test.dataDir, { recursive: true, force: true });
  // As root from a private folder, the cluster lives outside the data folder (under /var/lib/corsmesh/clusters/<id>/postgres).
  if (!test.embedded.clusterDir.startsWith(test.dataDir)) await rm(dirname(test.embedded.clusterDir), { recursive: true, force: true });
}
