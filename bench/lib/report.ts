import { CACHE_MEMORY_TARGET_BYTES } from './cache-memory.js';
import { BENCH_POLICIES, PATH_RULES_BENCH_POLICY } from './bench-tenants.js';
import type { ColdStartResult } from './cold-start.js';
import { configImportTarget, type ConfigImportResult } from './config-import.js';
import { median, pairedRatio, statusesAsExpected, type CostCaseResult, type CostSample, type PairedRatio } from './cost.js';
import type { InvalidationResult } from './invalidation.js';
import type { LibraryCaseResult } from './library-cost.js';
import { LIBRARY_HEADER, libraryRows, libraryTargets } from './library-report.js';
import type { MemoryResult } from './memory.js';
import { RECORDING_HEADER, recordingRows, recordingTargets, type RecordingCostResult } from './recording-cost.js';
import type { LoadScenario, QueryCostResult } from './scenarios.js';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly node: string;
  readonly postgres: string;
  readonly database: string;
  /** One-minute load average before and after the run (everything else the machine did). */
  readonly loadAverage: { readonly before: number; readonly after: number };
}

export interface BenchReport {
  readonly startedAt: string;
  readonly machine: Machine;
  readonly settings: { readonly connections: number; readonly duration: number; readonly warmup: number; readonly rounds: number; readonly generator: string };
  /** Scenarios 1–5: bare, static @fastify/cors and ours, paired rounds, two policies. */
  readonly cost: readonly CostCaseResult[];
  /** Traffic recording on and off (issue 14), two gateways in paired rounds. */
  readonly recordingCost?: readonly RecordingCostResult[];
  /** The baseline under scenario 6's request pattern: the reference of 6a and 6b. */
  readonly baselineManyTenants?: LoadScenario;
  readonly ours?: {
    readonly tenants10k: LoadScenario;
    readonly tenants100k: LoadScenario;
    readonly coldStart: ColdStartResult;
  };
  readonly queryCost?: QueryCostResult;
  readonly invalidation?: InvalidationResult;
  readonly memory?: MemoryResult;
  /** Scenario 9: a configuration import of 1,000 tenants (issue 16). */
  readonly configImport?: ConfigImportResult;
  /** The library in a plain NestJS app on Express and Fastify (issue 18, lib/library-cost.ts). */
  readonly library?: readonly LibraryCaseResult[];
}

export interface Target {
  readonly name: string;
  readonly held: boolean;
  readonly target: string;
  readonly measured: string;
}

const KIB = 1024;
/**
 * Issue 13's reference run: 6b served 2,217 req/s; the target is five times that. Its share of
 * 1m then (6.0%) is printed beside but is not the target: 1m is bound by the gateway's CPU,
 * which the issue's work on the hit path made some five times cheaper, and 6b by the round
 * trips of its statements, so five times the share would ask the miss path to get 25 times faster.
 */
const MISS_PATH_REFERENCE_RPS = 2_217;

function caseOf(report: BenchReport, id: string): CostCaseResult {
  const found = report.cost.find((c) => c.id === id);
  if (!found) throw new Error(`no cost case ${id}`);
  return found;
}

const cpuOf = (sample: CostSample) => sample.cpuMicrosPerRequest;
const rpsOf = (sample: CostSample) => sample.requestsPerSecond;

function range(ratio: PairedRatio): string {
  return `${ratio.median.toFixed(3)}× (rounds ${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`;
}

export function evaluateTargets(report: BenchReport): Target[] {
  // Empty under `--only recording`.
  const targets: Target[] = report.cost.length > 0 ? costTargets(report) : [];
  if (report.recordingCost) targets.push(...recordingTargets(report.recordingCost));
  const { ours, baselineManyTenants, queryCost, invalidation, memory } = report;
  if (ours && baselineManyTenants) {
    const missRps = ours.tenants100k.sample.requestsPerSecond;
    const share = missRps / baselineManyTenants.sample.requestsPerSecond;
    targets.push({
      name: 'miss path (6b)',
      held: missRps >= 5 * MISS_PATH_REFERENCE_RPS,
      target: `≥ ${(5 * MISS_PATH_REFERENCE_RPS).toLocaleString('en')} req/s (five times issue 13's ${MISS_PATH_REFERENCE_RPS.toLocaleString('en')})`,
      measured: `${Math.round(missRps).toLocaleString('en')} req/s, ${fixed(missRps / MISS_PATH_REFERENCE_RPS, 1)}× (${pct(share)} of 1m)`,
    });
    const cold = ours.coldStart;
    targets.push({
      name: 'cold start (6c)',
      held: cold.secondsTo90Percent !== undefined && cold.secondsTo90Percent <= 10,
      target: '90% of warm req/s within 10 s of readiness',
      measured:
        cold.secondsTo90Percent === undefined
          ? `not reached in ${cold.timeline.length} s`
          : `${cold.secondsTo90Percent} s after readiness (ready ${fixed(cold.readyAfterSeconds, 1)} s after start)`,
    });
  }
  if (queryCost) {
    const plansIndexed = queryCost.plans.length > 0 && queryCost.plans.every((plan) => plan.usesIndex);
    targets.push({
      name: 'misses batched, indexed',
      held: queryCost.statements < queryCost.cacheMisses && plansIndexed,
      target: 'fewer statements than misses, index scans only',
      measured: `${queryCost.statements} statements for ${queryCost.cacheMisses} misses (${fixed(queryCost.statementsPerMiss, 3)} each), ${plansIndexed ? 'index scans only' : 'a plan without index'}`,
    });
  }
  if (invalidation) {
    targets.push({
      name: 'invalidation p99',
      held: invalidation.p99Ms < 100 && invalidation.failures === 0,
      target: '< 100 ms, every change visible',
      measured: `p99 ${fixed(invalidation.p99Ms, 1)} ms, ${invalidation.failures} of ${invalidation.changes} not visible`,
    });
  }
  if (memory) {
    targets.push({
      name: 'memory per cached policy',
      held: memory.heapBytesPerTenant < CACHE_MEMORY_TARGET_BYTES,
      target: '< 1.5 KiB (JS heap after GC)',
      measured: `${fixed(memory.heapBytesPerTenant / KIB, 2)} KiB heap, ${fixed(memory.rssBytesPerTenant / KIB, 2)} KiB RSS at ${memory.tenants.toLocaleString('en')} cached`,
    });
  }
  if (report.configImport) targets.push(configImportTarget(report.configImport));
  if (report.library) targets.push(...libraryTargets(report.library));
  return targets;
}

/** Scenarios 1–5 against static `@fastify/cors`, and the refused and path-rules cases. */
function costTargets(report: BenchReport): Target[] {
  const targets: Target[] = [];
  for (const { name } of BENCH_POLICIES) {
    for (const kind of ['actual', 'preflight'] as const) {
      const ours = caseOf(report, `${name}/${kind}/ours`);
      const theirs = caseOf(report, `${name}/${kind}/static`);
      const cpu = pairedRatio(ours, theirs, cpuOf);
      const rps = pairedRatio(ours, theirs, rpsOf);
      const statuses = statusesAsExpected(ours) && statusesAsExpected(theirs);
      targets.push({
        name: `${name} ${kind}: CPU per request`,
        held: cpu.median <= 1 && statuses,
        target: 'ours ≤ 1.00 × static (median of paired rounds)',
        measured: range(cpu) + (statuses ? '' : ', unexpected statuses'),
      });
      targets.push({
        name: `${name} ${kind}: req/s`,
        held: rps.median >= 0.95 && statuses,
        target: 'ours ≥ 0.95 × static (median of paired rounds)',
        measured: range(rps),
      });
    }
    const refused = caseOf(report, `${name}/refused/ours`);
    const cpu = pairedRatio(refused, caseOf(report, `${name}/actual/ours`), cpuOf);
    targets.push({
      name: `${name} refused: CPU per request`,
      held: cpu.median <= 1 && statusesAsExpected(refused),
      target: 'refused ≤ 1.00 × allowed (ours, median of paired rounds)',
      measured: range(cpu) + (statusesAsExpected(refused) ? '' : ', unexpected statuses'),
    });
  }
  for (const kind of ['actual', 'preflight'] as const) {
    const withRules = caseOf(report, `${PATH_RULES_BENCH_POLICY.name}/${kind}/ours`);
    const cpu = pairedRatio(withRules, caseOf(report, `simple/${kind}/ours`), cpuOf);
    targets.push({
      name: `path rules ${kind}: CPU per request`,
      held: cpu.median <= 1.05 && statusesAsExpected(withRules),
      target: '20 unmatched path rules ≤ 1.05 × none (ours, median of paired rounds)',
      measured: range(cpu) + (statusesAsExpected(withRules) ? '' : ', unexpected statuses'),
    });
  }
  return targets;
}

/** The cost table: one line per case, medians over the rounds, ratios per round then median. */
function costRows(report: BenchReport): string[][] {
  return report.cost.map((c) => {
    const med = (figure: (sample: CostSample) => number) => median(c.samples.map(figure));
    const reference =
      c.policy === PATH_RULES_BENCH_POLICY.name
        ? caseOf(report, `simple/${c.kind}/ours`)
        : c.server === 'ours' && c.kind !== 'refused'
        ? caseOf(report, `${c.policy}/${c.kind}/static`)
        : c.server === 'ours'
          ? caseOf(report, `${c.policy}/actual/ours`)
          : c.server === 'static' && c.kind === 'actual'
            ? caseOf(report, 'bare')
            : undefined;
    const versus =
      c.policy === PATH_RULES_BENCH_POLICY.name ? 'ours simple' : c.server === 'ours' && c.kind === 'refused' ? 'ours allowed' : c.server === 'ours' ? 'static' : 'bare';
    return [
      c.id,
      Math.round(med(rpsOf)).toLocaleString('en'),
      fixed(med((s) => s.p50Ms), 2),
      fixed(med((s) => s.p99Ms), 2),
      fixed(med(cpuOf), 1),
      reference ? `${pairedRatio(c, reference, cpuOf).median.toFixed(3)}` : '',
      reference ? `${pairedRatio(c, reference, rpsOf).median.toFixed(3)}` : '',
      reference ? versus : '',
      pct(med((s) => s.generatorShare)),
      statusesAsExpected(c) ? '' : 'unexpected statuses!',
    ];
  });
}

const COST_HEADER = ['case (policy/request/server)', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'CPU ratio', 'req/s ratio', 'versus', 'wrk CPU share', 'notes'];

function otherRows(report: BenchReport): string[][] {
  const rows: string[][] = [];
  const scenario = (s: LoadScenario, note: string) => [
    s.id,
    s.title,
    Math.round(s.sample.requestsPerSecond).toLocaleString('en'),
    fixed(s.sample.p50Ms, 2),
    fixed(s.sample.p99Ms, 2),
    fixed(s.sample.cpuMicrosPerRequest, 1),
    note,
  ];
  const { ours, baselineManyTenants: base, invalidation, memory } = report;
  const missNote = (s: LoadScenario) =>
    `${pct(Number(s.extra?.missRate ?? 0))} misses, ${s.extra?.databaseLookups ?? 0} look-ups (${fixed(Number(s.extra?.meanLookupMs ?? 0), 2)} ms each)`;
  if (base) rows.push(scenario(base, 'reference of 6a/6b: a random slug per request'));
  if (ours && base) {
    const versus = (s: LoadScenario) => `${pct(s.sample.requestsPerSecond / base.sample.requestsPerSecond)} of 1m`;
    rows.push(scenario(ours.tenants10k, `${versus(ours.tenants10k)}; ${missNote(ours.tenants10k)}`));
    rows.push(scenario(ours.tenants100k, `${versus(ours.tenants100k)}; ${missNote(ours.tenants100k)}`));
    const cold = ours.coldStart;
    rows.push([
      '6c',
      'cold start, 100,000 tenants',
      '',
      '',
      '',
      '',
      `ready ${fixed(cold.readyAfterSeconds, 1)} s after start (${cold.warmedAtStart} warmed); req/s per second after: ${cold.timeline.map((r) => Math.round(r)).join(', ')}; warm ${Math.round(cold.warmRequestsPerSecond)}`,
    ]);
  }
  if (invalidation) {
    rows.push([
      '7',
      `invalidation latency, ${invalidation.changes} changes`,
      '',
      fixed(invalidation.p50Ms, 1),
      fixed(invalidation.p99Ms, 1),
      '',
      `${invalidation.writer === 'admin-api' ? 'from the admin API write returning' : 'from the SQL write commit'} to visible on another gateway process; max ${fixed(invalidation.maxMs, 1)} ms`,
    ]);
  }
  if (memory) {
    rows.push([
      '8',
      `memory, ${memory.tenants.toLocaleString('en')} cached policies`,
      '',
      '',
      '',
      '',
      `${fixed(memory.heapBytesPerTenant, 0)} B heap / ${fixed(memory.rssBytesPerTenant, 0)} B RSS per tenant; RSS ${mib(memory.after.rss)} MiB (${mib(memory.before.rss)} MiB with ~1,000)`,
    ]);
  }
  if (report.configImport) {
    const result = report.configImport;
    rows.push([
      '9',
      `configuration import, ${result.tenants.toLocaleString('en')} new tenants`,
      '',
      '',
      '',
      '',
      `applied in ${fixed(result.applySeconds, 1)} s (one request, one transaction, ${(result.bytes / 1024).toFixed(0)} KiB); planned again in ${fixed(result.diffSeconds, 1)} s, ${result.unchanged} unchanged`,
    ]);
  }
  return rows;
}

const OTHER_HEADER = ['#', 'scenario', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'notes'];

function loadLine(report: BenchReport): string {
  const { machine } = report;
  const recording = (report.recordingCost ?? []).flatMap((r) => [r.on, r.off]);
  const during = [...report.cost, ...recording].flatMap((c) => c.samples.map((s) => s.loadAverage));
  const busy = Math.max(machine.loadAverage.before, machine.loadAverage.after, ...during) > machine.cores / 2;
  return (
    `Load average ${machine.loadAverage.before.toFixed(1)} before the run, ${fixed(Math.min(...during), 1)}–${fixed(Math.max(...during), 1)} during the paired rounds, ` +
    `${machine.loadAverage.after.toFixed(1)} after, on ${machine.cores} cores` +
    (busy ? ' (busy machine: absolute figures are noisy; compare the paired ratios)' : '')
  );
}

export function markdown(report: BenchReport, targets: readonly Target[]): string {
  const { machine, settings, queryCost, invalidation } = report;
  const table = (header: string[], body: string[][]) => [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...body.map((line) => `| ${line.join(' | ')} |`),
  ];
  const lines = [
    `Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, PostgreSQL ${machine.postgres} (${machine.database}). ${loadLine(report)}.`,
    `Generator: ${settings.generator}, ${settings.connections} connections, ${settings.duration} s measured after ${settings.warmup} s of warm-up per case and round, loopback; every server in a process of its own; ` +
      `${settings.rounds} paired rounds; figures are medians over the rounds, ratios are per round (same round), then the median.`,
    '',
  ];
  if (report.cost.length > 0) lines.push(...table(COST_HEADER, costRows(report)), '');
  if (report.recordingCost) lines.push(...table(RECORDING_HEADER, recordingRows(report.recordingCost)), '');
  if (report.library) lines.push(...table(LIBRARY_HEADER, libraryRows(report.library)), '');
  if (report.ours || report.invalidation || report.memory || report.configImport) lines.push(...table(OTHER_HEADER, otherRows(report)), '');
  lines.push(...table(['target', 'held', 'measured', 'target'], targets.map((t) => [t.name, t.held ? 'HELD' : '**MISSED**', t.measured, t.target])), '');
  if (queryCost) {
    lines.push(
      `Cache-miss cost: ${queryCost.requests} requests for uncached tenants → ${queryCost.cacheMisses} misses (\`corsmesh_policy_cache_misses_total\`), ` +
        `${queryCost.databaseLookups} look-ups, ${queryCost.statements} statements on the wire (counted by a proxy between gateway and PostgreSQL).`,
      '',
      ...queryCost.plans.flatMap((plan) => ['```', plan.sql, '', plan.plan, '```']),
      '',
    );
  }
  if (invalidation) lines.push(`Invalidation writer: ${invalidation.writerNote}. Mean write ${fixed(invalidation.meanWriteMs, 2)} ms.`);
  return lines.join('\n') + '\n';
}

/** The tables printed on the terminal. */
export function consoleTable(report: BenchReport, targets: readonly Target[]): string {
  const format = (header: string[], body: string[][]) => {
    const all = [header, ...body];
    const widths = header.map((_, column) => Math.max(...all.map((line) => (line[column] ?? '').length)));
    const line = (cells: string[]) => cells.map((cell, column) => (cell ?? '').padEnd(widths[column]!)).join('  ').trimEnd();
    return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)];
  };
  return [
    loadLine(report),
    '',
    ...(report.cost.length > 0 ? [...format(COST_HEADER, costRows(report)), ''] : []),
    ...(report.recordingCost ? [...format(RECORDING_HEADER, recordingRows(report.recordingCost)), ''] : []),
    ...(report.library ? [...format(LIBRARY_HEADER, libraryRows(report.library)), ''] : []),
    ...(report.ours || report.invalidation || report.memory || report.configImport ? [...format(OTHER_HEADER, otherRows(report)), ''] : []),
    ...targets.map((t) => `${t.held ? 'HELD  ' : 'MISSED'}  ${t.name}: ${t.measured} (target ${t.target})`),
  ].join('\n');
}

function pct(ratio: number): string {
  return Number.isFinite(ratio) ? `${(ratio * 100).toFixed(1)}%` : '—';
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${fixed(value, 2)}`;
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}
