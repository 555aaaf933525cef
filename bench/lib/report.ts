import type { InvalidationResult } from './invalidation.js';
import type { MemoryResult } from './memory.js';
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
  readonly settings: { readonly connections: number; readonly duration: number; readonly warmup: number; readonly rounds: number };
  readonly baseline: LoadScenario;
  /** The baseline under scenario 6's request pattern: the reference of 6a and 6b. */
  readonly baselineManyTenants: LoadScenario;
  readonly staticActual: LoadScenario;
  readonly staticPreflight: LoadScenario;
  readonly ours: {
    readonly actual: LoadScenario;
    readonly preflight: LoadScenario;
    readonly refused: LoadScenario;
    readonly tenants10k: LoadScenario;
    readonly tenants100k: LoadScenario;
  };
  readonly queryCost: QueryCostResult;
  readonly invalidation: InvalidationResult;
  readonly memory: MemoryResult;
}

export interface Target {
  readonly name: string;
  readonly held: boolean;
  readonly target: string;
  readonly measured: string;
}

const KIB = 1024;

export function evaluateTargets(report: BenchReport): Target[] {
  const { ours, staticActual, staticPreflight, queryCost, invalidation, memory } = report;
  const versusStatic = (name: string, mine: LoadScenario, theirs: LoadScenario): Target => {
    const ratio = mine.result.requestsPerSecond / theirs.result.requestsPerSecond;
    const p99Gap = mine.result.p99Ms - theirs.result.p99Ms;
    return {
      name,
      held: ratio >= 0.9 && p99Gap <= 1 && mine.unexpectedShare === 0,
      target: '≥ 90% of static req/s, p99 ≤ static p99 + 1 ms',
      measured: `${pct(ratio)} of static req/s, p99 ${signed(p99Gap)} ms vs static`,
    };
  };
  const refusedRatio = ours.refused.result.requestsPerSecond / ours.actual.result.requestsPerSecond;
  const refusedP99Gap = ours.refused.result.p99Ms - ours.actual.result.p99Ms;
  const plansIndexed = queryCost.plans.length > 0 && queryCost.plans.every((plan) => plan.usesIndex);
  return [
    versusStatic('warm actual requests', ours.actual, staticActual),
    versusStatic('preflights', ours.preflight, staticPreflight),
    {
      name: 'refused no slower than allowed',
      held: refusedRatio >= 1 && refusedP99Gap <= 0 && ours.refused.unexpectedShare === 0,
      target: 'refused req/s ≥ allowed req/s, refused p99 ≤ allowed p99',
      measured: `${pct(refusedRatio)} of allowed req/s, p99 ${signed(refusedP99Gap)} ms vs allowed`,
    },
    {
      name: 'invalidation p99',
      held: invalidation.p99Ms < 100 && invalidation.failures === 0,
      target: '< 100 ms, every change visible',
      measured: `p99 ${fixed(invalidation.p99Ms, 1)} ms, ${invalidation.failures} of ${invalidation.changes} not visible`,
    },
    {
      name: 'one indexed query per cache miss',
      held: queryCost.statements === queryCost.cacheMisses && queryCost.databaseLookups === queryCost.cacheMisses && plansIndexed,
      target: 'statements = misses, index scans only',
      measured: `${queryCost.statements} statements for ${queryCost.cacheMisses} misses (${fixed(queryCost.statementsPerMiss, 3)} each), ${plansIndexed ? 'index scans only' : 'a plan without index'}`,
    },
    {
      name: 'memory per cached policy',
      held: memory.heapBytesPerTenant < 2 * KIB,
      target: '< 2 KiB (JS heap after GC)',
      measured: `${fixed(memory.heapBytesPerTenant / KIB, 2)} KiB heap, ${fixed(memory.rssBytesPerTenant / KIB, 2)} KiB RSS`,
    },
  ];
}

interface Row {
  readonly id: string;
  readonly scenario: LoadScenario;
  readonly versusStatic?: LoadScenario;
  /** Reference of the ours/baseline column (the baseline of the same request pattern). */
  readonly versusBaseline?: LoadScenario;
  readonly note?: string;
}

function rows(report: BenchReport): Row[] {
  const { ours, baseline, baselineManyTenants, staticActual, staticPreflight } = report;
  const missNote = (scenario: LoadScenario) =>
    `${pct(Number(scenario.extra?.missRate ?? 0))} misses, ${fixed(Number(scenario.extra?.meanLookupMs ?? 0), 2)} ms per DB look-up`;
  return [
    { id: '1', scenario: baseline, note: 'bare Fastify, no CORS' },
    { id: '1m', scenario: baselineManyTenants, note: 'reference of 6a/6b: a random slug per request' },
    { id: '2', scenario: staticActual, note: 'ours/baseline column: static/baseline' },
    { id: '2p', scenario: staticPreflight, note: 'static preflight (reference of 4)' },
    { id: '3', scenario: ours.actual, versusStatic: staticActual },
    { id: '4', scenario: ours.preflight, versusStatic: staticPreflight },
    { id: '5', scenario: ours.refused, versusStatic: staticActual, note: '403; ratio vs static allowed' },
    { id: '6a', scenario: ours.tenants10k, versusBaseline: baselineManyTenants, note: `vs 1m; ${missNote(ours.tenants10k)}` },
    { id: '6b', scenario: ours.tenants100k, versusBaseline: baselineManyTenants, note: `vs 1m; ${missNote(ours.tenants100k)}` },
  ];
}

export function markdown(report: BenchReport, targets: readonly Target[]): string {
  const { machine, settings, invalidation, memory, queryCost, baseline } = report;
  const lines = [
    `Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, PostgreSQL ${machine.postgres} (${machine.database}); ` +
      `load average ${machine.loadAverage.before.toFixed(1)} before the run, ${machine.loadAverage.after.toFixed(1)} after` +
      (Math.max(machine.loadAverage.before, machine.loadAverage.after) > machine.cores / 2 ? ' (**busy machine: figures are noisy**).' : '.'),
    `autocannon: ${settings.connections} connections, ${settings.duration} s per scenario after ${settings.warmup} s of warm-up, loopback; every server in a process of its own; ` +
      `scenarios 1–5 measured in ${settings.rounds} alternating round(s), best round shown.`,
    '',
    '| # | scenario | req/s | p50 ms | p99 ms | ours/static | ours/baseline | notes |',
    '|---|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const row of rows(report)) {
    const r = row.scenario.result;
    const unexpected = row.scenario.unexpectedShare > 0 ? ` **${pct(row.scenario.unexpectedShare)} unexpected status**` : '';
    const versusStatic = row.versusStatic ? pct(r.requestsPerSecond / row.versusStatic.result.requestsPerSecond) : '—';
    const versusBaseline = row.id.startsWith('1') ? '—' : pct(r.requestsPerSecond / (row.versusBaseline ?? baseline).result.requestsPerSecond);
    lines.push(
      `| ${row.id} | ${row.scenario.title} | ${Math.round(r.requestsPerSecond).toLocaleString('en')} | ${fixed(r.p50Ms, 2)} | ` +
        `${fixed(r.p99Ms, 2)} | ${versusStatic} | ${versusBaseline} | ${row.note ?? ''}${unexpected} |`,
    );
  }
  lines.push(
    `| 7 | invalidation latency, ${invalidation.changes} changes | — | ${fixed(invalidation.p50Ms, 1)} | ${fixed(invalidation.p99Ms, 1)} | — | — | ${invalidation.writer === 'admin-api' ? 'from the admin API write returning' : 'from the SQL write commit'} to visible on another gateway process; max ${fixed(invalidation.maxMs, 1)} ms |`,
    `| 8 | memory, ${memory.tenants.toLocaleString('en')} cached policies | — | — | — | — | — | ${fixed(memory.heapBytesPerTenant, 0)} B heap / ${fixed(memory.rssBytesPerTenant, 0)} B RSS per tenant; RSS ${mib(memory.after.rss)} MiB (${mib(memory.before.rss)} MiB with ~1,000) |`,
    '',
    '| target | held | measured | target |',
    '|---|---|---|---|',
    ...targets.map((t) => `| ${t.name} | ${t.held ? 'HELD' : '**MISSED**'} | ${t.measured} | ${t.target} |`),
    '',
    `Cache-miss cost: ${queryCost.requests} requests for uncached tenants → ${queryCost.cacheMisses} misses (\`corsmesh_policy_cache_misses_total\`), ` +
      `${queryCost.databaseLookups} look-ups, ${queryCost.statements} statements on the wire (counted by a proxy between gateway and PostgreSQL).`,
    '',
    ...queryCost.plans.flatMap((plan) => ['```', plan.sql, '', plan.plan, '```']),
    '',
    `Invalidation writer: ${invalidation.writerNote}. Mean write ${fixed(invalidation.meanWriteMs, 2)} ms.`,
  );
  return lines.join('\n') + '\n';
}

/** The table printed on the terminal. */
export function consoleTable(report: BenchReport, targets: readonly Target[]): string {
  const { baseline } = report;
  const header = ['#', 'scenario', 'req/s', 'p50 ms', 'p99 ms', 'ours/static', 'ours/base', 'notes'];
  const body = rows(report).map((row) => {
    const r = row.scenario.result;
    return [
      row.id,
      row.scenario.title,
      Math.round(r.requestsPerSecond).toLocaleString('en'),
      fixed(r.p50Ms, 2),
      fixed(r.p99Ms, 2),
      row.versusStatic ? pct(r.requestsPerSecond / row.versusStatic.result.requestsPerSecond) : '',
      row.id.startsWith('1') ? '' : pct(r.requestsPerSecond / (row.versusBaseline ?? baseline).result.requestsPerSecond),
      (row.note ?? '') + (row.scenario.unexpectedShare > 0 ? ` (${pct(row.scenario.unexpectedShare)} unexpected status!)` : ''),
    ];
  });
  const { invalidation, memory } = report;
  body.push(['7', 'invalidation latency', '', fixed(invalidation.p50Ms, 1), fixed(invalidation.p99Ms, 1), '', '', `${invalidation.changes} changes, writer ${invalidation.writer}`]);
  body.push(['8', `memory, ${memory.tenants} policies`, '', '', '', '', '', `${fixed(memory.heapBytesPerTenant, 0)} B heap, ${fixed(memory.rssBytesPerTenant, 0)} B RSS per tenant`]);
  const all = [header, ...body];
  const widths = header.map((_, column) => Math.max(...all.map((line) => line[column]!.length)));
  const format = (line: string[]) => line.map((cell, column) => (column >= 2 && column <= 6 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ');
  const { loadAverage, cores } = report.machine;
  const busy = Math.max(loadAverage.before, loadAverage.after) > cores / 2;
  return [
    ...(busy ? [`load average ${loadAverage.before.toFixed(1)} before, ${loadAverage.after.toFixed(1)} after, on ${cores} cores: other work competed, figures are noisy`, ''] : []),
    format(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...body.map(format),
    '',
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
