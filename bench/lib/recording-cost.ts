import { loadavg } from 'node:os';
import { benchPolicy } from './bench-tenants.js';
import {
  inNewServerRounds,
  measureCost,
  median,
  pairedRatio,
  requestOf,
  statusesAsExpected,
  type CostCaseResult,
  type CostKind,
  type CostOptions,
  type CostSample,
  type PairedRatio,
  type RoundServers,
  uncounted,
} from './cost.js';
import { randomTenantRequest } from './scenarios.js';
import type { Target } from './report.js';
import type { ServerProcess } from './server-process.js';

/** What traffic recording may cost (issue 14): at most 3% of the warm throughput. */
export const RECORDING_MAX_COST = 0.03;

/** Tenants the spread case sends to at random: as many tenant windows, tuples and rule counters per flush. */
export const RECORDING_SPREAD_TENANTS = 1_000;

export type RecordingCase = CostKind | 'spread';

/** One case measured on both gateways, sample `i` of each taken in the same round. */
export interface RecordingCostResult {
  readonly kind: RecordingCase;
  readonly on: CostCaseResult;
  readonly off: CostCaseResult;
}

export interface RecordingServers {
  /** The gateway as deployed: recording on (the default). */
  readonly on: ServerProcess;
  /** The same build with `TRAFFIC_RECORDING=false`: the recorder is never called. */
  readonly off: ServerProcess;
}

export const RECORDING_KINDS: readonly RecordingCase[] = ['actual', 'preflight', 'refused', 'spread'];

/**
 * Two gateways alike but for `TRAFFIC_RECORDING`, measured back to back in paired rounds (the
 * order swapped every round), each round with two new processes, as in lib/cost.ts. The fixed
 * requests (the simple policy's actual, preflight and refused request) hit one tuple, or one
 * refusal, over and over: the recorder's cheapest path. The spread case sends each request to
 * a random one of 1,000 tenants (all cached), so every flush writes a thousand tenants' counts:
 * what the upserts every 5 s cost the gateway, and PostgreSQL on the same two cores.
 */
export async function runRecordingCostRounds(serverSet: RoundServers<RecordingServers>, options: CostOptions): Promise<RecordingCostResult[]> {
  const samples = new Map(RECORDING_KINDS.map((kind) => [kind, { on: [] as CostSample[], off: [] as CostSample[] }]));
  await inNewServerRounds(serverSet, options.rounds, async (servers, round) => {
    await Promise.all([servers.on, servers.off].map((server) => server.command('warm', { from: 0, count: RECORDING_SPREAD_TENANTS, concurrency: 32 })));
    for (const kind of RECORDING_KINDS) for (const side of ['on', 'off'] as const) await measureCost(servers[side], recordingRequestOf(kind), uncounted(options));
    options.log(`  recording on/off, round ${round + 1} of ${options.rounds} (load average ${loadavg()[0]!.toFixed(1)})`);
    for (const kind of RECORDING_KINDS) {
      const order = round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      for (const side of order) samples.get(kind)![side].push(await measureCost(servers[side], recordingRequestOf(kind), options));
    }
  });
  return RECORDING_KINDS.map((kind) => {
    const { on, off } = samples.get(kind)!;
    const result = (side: 'on' | 'off', sideSamples: CostSample[]): CostCaseResult => ({
      id: `recording ${side}/${kind}`,
      server: 'ours',
      policy: 'simple',
      kind: kind === 'spread' ? 'actual' : kind,
      expectSuccess: kind !== 'refused',
      samples: sideSamples,
    });
    return { kind, on: result('on', on), off: result('off', off) };
  });
}

/** The request of one recording case: the simple policy's, or a random one of the spread tenants. */
export function recordingRequestOf(kind: RecordingCase) {
  return kind === 'spread' ? randomTenantRequest(RECORDING_SPREAD_TENANTS) : requestOf(benchPolicy('simple'), kind);
}

/** Recording on ÷ off per round, then the median: req/s (the target) and CPU per request. */
export function recordingRatios(result: RecordingCostResult): { readonly rps: PairedRatio; readonly cpu: PairedRatio } {
  return {
    rps: pairedRatio(result.on, result.off, (sample) => sample.requestsPerSecond),
    cpu: pairedRatio(result.on, result.off, (sample) => sample.cpuMicrosPerRequest),
  };
}

/** One target per case: recording on keeps ≥ 97% of the req/s with recording off (median of paired rounds). */
export function recordingTargets(results: readonly RecordingCostResult[]): Target[] {
  return results.map((result) => {
    const { rps, cpu } = recordingRatios(result);
    const statuses = statusesAsExpected(result.on) && statusesAsExpected(result.off);
    const cost = 1 - rps.median;
    return {
      name: `traffic recording, ${caseTitle(result.kind)}: req/s`,
      held: cost <= RECORDING_MAX_COST && statuses,
      target: `recording costs at most ${RECORDING_MAX_COST * 100}% of warm throughput (on ÷ off, median of paired rounds)`,
      measured:
        `on ÷ off ${rps.median.toFixed(3)}× (rounds ${rps.min.toFixed(2)}–${rps.max.toFixed(2)}), a cost of ${(cost * 100).toFixed(1)}%; ` +
        `CPU per request ${cpu.median.toFixed(3)}×` +
        (statuses ? '' : ', unexpected statuses'),
    };
  });
}

export function caseTitle(kind: RecordingCase): string {
  return kind === 'spread' ? `actual, ${RECORDING_SPREAD_TENANTS.toLocaleString('en')} tenants at random` : `simple ${kind}`;
}

export const RECORDING_HEADER = ['case (recording on vs off)', 'req/s on', 'req/s off', 'CPU µs/req on', 'CPU µs/req off', 'req/s ratio', 'CPU ratio', 'wrk CPU share'];

/** The table of the recording comparison: medians over the rounds, ratios per round then median. */
export function recordingRows(results: readonly RecordingCostResult[]): string[][] {
  return results.map((result) => {
    const med = (side: CostCaseResult, figure: (sample: CostSample) => number) => median(side.samples.map(figure));
    const { rps, cpu } = recordingRatios(result);
    return [
      caseTitle(result.kind),
      Math.round(med(result.on, (s) => s.requestsPerSecond)).toLocaleString('en'),
      Math.round(med(result.off, (s) => s.requestsPerSecond)).toLocaleString('en'),
      med(result.on, (s) => s.cpuMicrosPerRequest).toFixed(1),
      med(result.off, (s) => s.cpuMicrosPerRequest).toFixed(1),
      `${rps.median.toFixed(3)} (${rps.min.toFixed(2)}–${rps.max.toFixed(2)})`,
      `${cpu.median.toFixed(3)} (${cpu.min.toFixed(2)}–${cpu.max.toFixed(2)})`,
      `${(med(result.on, (s) => s.generatorShare) * 100).toFixed(1)}%`,
    ];
  });
}
