import { loadavg } from 'node:os';
import { benchPolicy } from './bench-tenants.js';
import { measureCost, requestOf, type CostCase, type CostCaseResult, type CostOptions, type CostSample } from './cost.js';
import { startServerProcess, type ServerProcess } from './server-process.js';

/**
 * The library embedded in a plain NestJS app (issue 18): on each platform, the same app bare,
 * with its platform's static CORS package (`cors` on Express, `@fastify/cors` on Fastify,
 * through Nest's `cors` option) and with `DynamicCorsModule` over `staticPolicySource`, for
 * issue 13's credentialed policy. Measured as scenarios 1–5 are (lib/cost.ts): wrk, the
 * server's own CPU time per response, paired rounds, medians of per-round ratios.
 */
export const LIBRARY_PLATFORMS = ['express', 'fastify'] as const;
export type LibraryPlatform = (typeof LIBRARY_PLATFORMS)[number];

export const LIBRARY_POLICY = 'credentialed';

/** What each platform's static peer is, for the report. */
export const STATIC_PEER: Readonly<Record<LibraryPlatform, string>> = { express: 'cors', fastify: '@fastify/cors' };

export interface LibraryCase extends CostCase {
  readonly platform: LibraryPlatform;
}

export interface LibraryCaseResult extends LibraryCase, CostCaseResult {}

const SERVER_SCRIPT: Readonly<Record<LibraryPlatform, string>> = { express: 'nest-express-echo.server.ts', fastify: 'nest-fastify-echo.server.ts' };

/**
 * One round's cases, each group (a platform and a request) measured back to back. The bare
 * app has no preflight to answer (Nest gives it a 404), so it is measured on the actual
 * request only, and a preflight's ratio to bare is to the bare app's GET.
 */
export function libraryCases(): LibraryCase[][] {
  const groups: LibraryCase[][] = [];
  for (const platform of LIBRARY_PLATFORMS) {
    for (const kind of ['actual', 'preflight'] as const) {
      const servers = kind === 'actual' ? (['bare', 'static', 'ours'] as const) : (['static', 'ours'] as const);
      groups.push(servers.map((server) => ({ id: libraryCaseId(platform, kind, server), platform, server, policy: LIBRARY_POLICY, kind, expectSuccess: true })));
    }
  }
  return groups;
}

export function libraryCaseId(platform: LibraryPlatform, kind: 'actual' | 'preflight', server: CostCase['server']): string {
  return `${platform}/${LIBRARY_POLICY}/${kind}/${server}`;
}

/** Starts the six apps (three per platform), each in a process of its own. */
export async function startLibraryServers(track: (server: Promise<ServerProcess>) => Promise<ServerProcess>): Promise<Map<string, ServerProcess>> {
  const servers = new Map<string, ServerProcess>();
  for (const platform of LIBRARY_PLATFORMS) {
    for (const mode of ['bare', 'static', 'ours'] as const) {
      const key = `${platform}/${mode}`;
      servers.set(key, await track(startServerProcess(`nest-${key}`, SERVER_SCRIPT[platform], { env: { BENCH_SERVER_MODE: mode } })));
    }
  }
  return servers;
}

/**
 * Paired rounds over `servers` (from {@link startLibraryServers}): the order within each
 * group rotates from round to round, so that no server always runs first or last.
 */
export async function runLibraryRounds(servers: ReadonlyMap<string, ServerProcess>, options: CostOptions): Promise<LibraryCaseResult[]> {
  const groups = libraryCases();
  const samples = new Map<string, CostSample[]>(groups.flat().map((c) => [c.id, []]));
  const request = (kind: 'actual' | 'preflight') => requestOf(benchPolicy(LIBRARY_POLICY), kind);
  for (let round = 0; round < options.rounds; round++) {
    options.log(`  library round ${round + 1} of ${options.rounds} (load average ${loadavg()[0]!.toFixed(1)})`);
    for (const group of groups) {
      for (const c of rotate(group, round)) {
        samples.get(c.id)!.push(await measureCost(servers.get(`${c.platform}/${c.server}`)!, request(c.kind as 'actual' | 'preflight'), options));
      }
    }
  }
  return groups.flat().map((c) => ({ ...c, samples: samples.get(c.id)! }));
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const start = by % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

/** Starts the apps, runs the rounds, stops the apps. */
export async function measureLibraryCost(
  options: CostOptions,
  track: (server: Promise<ServerProcess>) => Promise<ServerProcess>,
  stop: (server: ServerProcess) => Promise<void>,
): Promise<LibraryCaseResult[]> {
  options.log(`library in a plain NestJS app: bare, static (cors / @fastify/cors) and DynamicCorsModule on Express and Fastify, ${options.rounds} paired round(s), policy ${LIBRARY_POLICY}`);
  const servers = await startLibraryServers(track);
  try {
    return await runLibraryRounds(servers, options);
  } finally {
    for (const server of servers.values()) await stop(server);
  }
}
