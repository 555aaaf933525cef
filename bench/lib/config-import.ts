import { randomBytes } from 'node:crypto';
import type { Target } from './report.js';
import type { BenchOptions } from './scenarios.js';
import { startServerProcess } from './server-process.js';

/** Issue 16: tenants in the imported document. */
export const IMPORTED_TENANTS = 1000;
/** Issue 16's target for applying them. */
const TARGET_SECONDS = 30;

export interface ConfigImportResult {
  readonly tenants: number;
  /** `POST /api/v1/import?dryRun=false` of the new tenants: request sent to plan received. */
  readonly applySeconds: number;
  readonly created: number;
  /** The same document again as a dry run: what `corsmesh diff` costs in CI. */
  readonly diffSeconds: number;
  readonly unchanged: number;
  /** The document's size, JSON. */
  readonly bytes: number;
}

/**
 * Scenario 9: one native document of {@link IMPORTED_TENANTS} new tenants (each with two
 * hostnames, three origin rules, a policy with a path rule) applied through the admin API in one
 * request, one transaction, on top of the benchmark's 100,000 tenants; then the same document
 * planned again, which must be a no-op.
 */
export async function measureConfigImport(databaseUrl: string, options: BenchOptions): Promise<ConfigImportResult> {
  const token = randomBytes(24).toString('base64url');
  const admin = await startServerProcess('admin (import)', 'admin.server.ts', {
    env: { DATABASE_URL: databaseUrl, ADMIN_TOKEN: token, LOG_LEVEL: 'silent' },
  });
  try {
    const body = JSON.stringify(documentOf(IMPORTED_TENANTS));
    options.log(`  9 configuration import: ${IMPORTED_TENANTS.toLocaleString('en')} tenants, ${(body.length / 1024).toFixed(0)} KiB of JSON`);
    const post = async (dryRun: boolean) => {
      const started = performance.now();
      const response = await fetch(`${admin.url}/api/v1/import?format=corsmesh&dryRun=${dryRun}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body,
      });
      const text = await response.text();
      if (response.status !== 200) throw new Error(`POST /api/v1/import answered ${response.status}: ${text.slice(0, 500)}`);
      const plan = JSON.parse(text) as { changes: { action: string }[] };
      return { seconds: (performance.now() - started) / 1000, count: (action: string) => plan.changes.filter((c) => c.action === action).length };
    };
    const applied = await post(false);
    const again = await post(true);
    return {
      tenants: IMPORTED_TENANTS,
      applySeconds: applied.seconds,
      created: applied.count('create'),
      diffSeconds: again.seconds,
      unchanged: again.count('unchanged'),
      bytes: body.length,
    };
  } finally {
    await admin.stop();
  }
}

function documentOf(count: number) {
  return {
    version: 1,
    tenants: Array.from({ length: count }, (_, i) => ({
      slug: `imported-${i}`,
      name: `Imported tenant ${i}`,
      hostnames: [`api.imported-${i}.example.com`, `www.imported-${i}.example.com`],
      upstreamUrl: `https://backend-${i}.example.com`,
      policy: {
        allowedMethods: ['GET', 'HEAD', 'POST', 'PUT'],
        allowedHeaders: ['Content-Type', 'Authorization'],
        exposedHeaders: ['X-Request-Id'],
        allowCredentials: true,
        maxAge: 600,
        pathRules: [{ path: '/public/**', allowCredentials: false, origins: ['*'] }],
      },
      origins: [
        { origin: `https://app.imported-${i}.example.com` },
        { origin: `https://*.imported-${i}.example.org` },
        { origin: `https://admin.imported-${i}.example.com` },
      ],
    })),
  };
}

/** Held when every tenant was created within the target and the second plan changed nothing. */
export function configImportTarget(result: ConfigImportResult): Target {
  return {
    name: `import ${result.tenants.toLocaleString('en')} tenants (9)`,
    held: result.applySeconds < TARGET_SECONDS && result.created === result.tenants && result.unchanged === result.tenants,
    target: `< ${TARGET_SECONDS} s, all created, then a no-op plan`,
    measured: `${result.applySeconds.toFixed(1)} s (${result.created} created); re-plan ${result.diffSeconds.toFixed(1)} s, ${result.unchanged} unchanged`,
  };
}
