import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BENCH_POLICIES, PATH_RULES_BENCH_POLICY } from './bench-tenants.js';
import type { InstructionCaseResult } from './instructions.js';
import { RECORDING_KINDS, RECORDING_MAX_COST, caseTitle, type RecordingCase } from './recording-cost.js';
import type { Target } from './report.js';

export interface InstructionReport {
  readonly startedAt: string;
  readonly machine: Readonly<Record<string, unknown>>;
  readonly settings: Readonly<Record<string, unknown>>;
  /** Bare, static `@fastify/cors` per policy and the gateway: the cases of scenarios 1–5. */
  readonly cost: readonly InstructionCaseResult[];
  /** The gateway with `TRAFFIC_RECORDING=false`, beside the gateway as deployed (issue 14). */
  readonly recording: readonly InstructionCaseResult[];
}

/** The recording-off gateway's case id; its recording-on twin is the cost case it mirrors. */
export function recordingOffId(kind: RecordingCase): string {
  return `recording off/${kind}`;
}

export function recordingOnId(kind: RecordingCase): string {
  return kind === 'spread' ? 'recording on/spread' : `simple/${kind}/ours`;
}

/**
 * The targets of issue 13 and 14 in instructions per request: ours against static
 * `@fastify/cors`, refused against allowed, twenty unmatched path rules against none, and the
 * gateway with traffic recording against the same gateway without. Thresholds as the CPU-time
 * targets (bench/README.md), compared here on a count the machine's noise does not move.
 */
export function instructionTargets(report: InstructionReport): Target[] {
  const all = [...report.cost, ...report.recording];
  const of = (id: string) => all.find((c) => c.id === id);
  const targets: Target[] = [];
  // A target whose cases `--cases` left out is not judged.
  const target = (name: string, mine: string, theirs: string, limit: number, versus: string): void => {
    const a = of(mine);
    const b = of(theirs);
    if (a === undefined || b === undefined) return;
    const ratio = a.perRequest / b.perRequest;
    const statuses = a.statusesAsExpected && b.statusesAsExpected;
    // One process in V8's slow state and the other not compares V8's luck, not code (both in
    // it carry the same Node overhead, the same number of nextTicks per request).
    const slow = a.slowV8State === b.slowV8State ? [] : [a, b].filter((c) => c.slowV8State).map((c) => c.id);
    targets.push({
      name: `${name}: instructions per request`,
      held: ratio <= limit && statuses && slow.length === 0,
      target: `${versus} ≤ ${limit.toFixed(2)}× (callgrind, fewest confirmed window)`,
      measured:
        `${ratio.toFixed(3)}× (${count(a.perRequest)} vs ${count(b.perRequest)})` +
        (statuses ? '' : ', unexpected statuses') +
        (slow.length === 0 ? '' : `, not comparable: only ${slow.join(' and ')} ran in V8's slow state (run again)`),
    });
  };
  for (const { name } of BENCH_POLICIES) {
    for (const kind of ['actual', 'preflight'] as const) target(`${name} ${kind}`, `${name}/${kind}/ours`, `${name}/${kind}/static`, 1, 'ours ÷ static');
    target(`${name} refused`, `${name}/refused/ours`, `${name}/actual/ours`, 1, 'refused ÷ allowed');
  }
  for (const kind of ['actual', 'preflight'] as const) {
    target(`path rules ${kind}`, `${PATH_RULES_BENCH_POLICY.name}/${kind}/ours`, `simple/${kind}/ours`, 1.05, '20 unmatched rules ÷ none');
  }
  for (const kind of RECORDING_KINDS) {
    target(`traffic recording, ${caseTitle(kind)}, request path`, recordingOnId(kind), recordingOffId(kind), 1 + RECORDING_MAX_COST, 'on ÷ off, flushes apart');
  }
  return targets;
}

/** The flush interval of the gateway (TRAFFIC_FLUSH_INTERVAL_MS, fixed at 5 s). */
const FLUSH_SECONDS = 5;

/**
 * What the flushes add to the request path's cost, for each recording case: a flush every 5 s
 * costs `flush ÷ off` requests' worth of instructions, so its share of the throughput falls as
 * the throughput rises. Printed as the throughput from which request path and flushes
 * together stay within 3%, to set beside the req/s the gateway reaches at native speed; and
 * PostgreSQL's CPU time per flush (not under valgrind, so in milliseconds of real CPU).
 */
export function flushLines(report: InstructionReport): string[] {
  const all = [...report.cost, ...report.recording];
  return RECORDING_KINDS.flatMap((kind) => {
    const on = all.find((c) => c.id === recordingOnId(kind));
    const off = all.find((c) => c.id === recordingOffId(kind));
    if (off === undefined || on?.flush === undefined) return [];
    const requestPath = on.perRequest / off.perRequest - 1;
    const flushRequests = on.flush.instructions / off.perRequest;
    const budget = RECORDING_MAX_COST - requestPath;
    const breakEven = budget > 0 ? flushRequests / (FLUSH_SECONDS * budget) : Infinity;
    const postgres = on.flush.postgresCpuMicros;
    return [
      `  ${caseTitle(kind)}: a flush ${count(on.flush.instructions)} instructions (${count(flushRequests)} requests' worth); ` +
        `with the request path's ${(requestPath * 100).toFixed(2)}%, within ${RECORDING_MAX_COST * 100}% from ${Number.isFinite(breakEven) ? `${count(breakEven)} req/s` : 'no throughput'}; ` +
        `PostgreSQL ${postgres === undefined ? '— (remote server)' : `${(postgres / 1000).toFixed(1)} ms CPU per flush`}`,
    ];
  });
}

export function instructionLines(report: InstructionReport, targets: readonly Target[]): string[] {
  return [
    ...[...report.cost, ...report.recording].map(
      (c) =>
        `  ${c.id.padEnd(34)} ${count(c.perRequest).padStart(9)} instructions per request (median ${count(c.medianPerRequest)})` +
        (c.statusesAsExpected ? '' : '  unexpected statuses!') +
        (c.slowV8State ? "  V8's slow state (see bench/README.md)" : ''),
    ),
    '',
    'flushes (every 5 s):',
    ...flushLines(report),
    '',
    ...targets.map((t) => `${t.held ? 'HELD  ' : 'MISSED'}  ${t.name}: ${t.measured} (target ${t.target})`),
  ];
}

export async function writeInstructionReport(report: InstructionReport, resultsDir: string, log: (line: string) => void): Promise<void> {
  const targets = instructionTargets(report);
  log(`done\n\n${instructionLines(report, targets).join('\n')}\n`);
  await mkdir(resultsDir, { recursive: true });
  const file = `instructions-${report.startedAt.replace(/[:.]/g, '-')}.json`;
  await writeFile(join(resultsDir, file), JSON.stringify({ ...report, targets, flushes: flushLines(report) }, null, 2));
  log(`results: bench/results/${file}`);
}

function count(instructions: number): string {
  return Math.round(instructions).toLocaleString('en');
}
