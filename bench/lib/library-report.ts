import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { median, pairedRatio, statusesAsExpected, type CostSample, type PairedRatio } from './cost.js';
import { LIBRARY_PLATFORMS, libraryCaseId, STATIC_PEER, type LibraryCaseResult } from './library-cost.js';
import type { Target } from './report.js';

const cpuOf = (sample: CostSample) => sample.cpuMicrosPerRequest;
const rpsOf = (sample: CostSample) => sample.requestsPerSecond;

function caseOf(results: readonly LibraryCaseResult[], id: string): LibraryCaseResult {
  const found = results.find((c) => c.id === id);
  if (!found) throw new Error(`no library case ${id}`);
  return found;
}

/**
 * The library's targets (issue 18): on each platform, the adapter costs no more CPU per
 * request than that platform's static CORS package, median of paired rounds, for the actual
 * request and the preflight. Why these, in bench/README.md.
 */
export function libraryTargets(results: readonly LibraryCaseResult[]): Target[] {
  return LIBRARY_PLATFORMS.flatMap((platform) =>
    (['actual', 'preflight'] as const).map((kind) => {
      const ours = caseOf(results, libraryCaseId(platform, kind, 'ours'));
      const theirs = caseOf(results, libraryCaseId(platform, kind, 'static'));
      const cpu = pairedRatio(ours, theirs, cpuOf);
      const statuses = statusesAsExpected(ours) && statusesAsExpected(theirs);
      return {
        name: `library on ${platform} ${kind}: CPU per request`,
        held: cpu.median <= 1 && statuses,
        target: `DynamicCorsModule ≤ 1.00 × ${STATIC_PEER[platform]} (Nest on ${platform}, median of paired rounds)`,
        measured: range(cpu) + (statuses ? '' : ', unexpected statuses'),
      };
    }),
  );
}

export const LIBRARY_HEADER = ['case (platform/policy/request/server)', 'req/s', 'p50 ms', 'p99 ms', 'CPU µs/req', 'CPU ÷ static', 'req/s ÷ static', 'CPU ÷ bare', 'req/s ÷ bare', 'wrk CPU share', 'notes'];

/** One line per case: medians over the rounds, then the medians of the per-round ratios to static and to bare (its GET). */
export function libraryRows(results: readonly LibraryCaseResult[]): string[][] {
  return results.map((c) => {
    const med = (figure: (sample: CostSample) => number) => median(c.samples.map(figure));
    const staticCase = c.server === 'ours' ? caseOf(results, libraryCaseId(c.platform, c.kind as 'actual' | 'preflight', 'static')) : undefined;
    const bareCase = c.server === 'bare' ? undefined : caseOf(results, libraryCaseId(c.platform, 'actual', 'bare'));
    const ratio = (reference: LibraryCaseResult | undefined, figure: (sample: CostSample) => number) => (reference ? pairedRatio(c, reference, figure).median.toFixed(3) : '');
    return [
      `${c.id}${c.server === 'static' ? ` (${STATIC_PEER[c.platform]})` : ''}`,
      Math.round(med(rpsOf)).toLocaleString('en'),
      fixed(med((s) => s.p50Ms), 2),
      fixed(med((s) => s.p99Ms), 2),
      fixed(med(cpuOf), 1),
      ratio(staticCase, cpuOf),
      ratio(staticCase, rpsOf),
      ratio(bareCase, cpuOf),
      ratio(bareCase, rpsOf),
      `${(med((s) => s.generatorShare) * 100).toFixed(1)}%`,
      (statusesAsExpected(c) ? '' : 'unexpected statuses! ') + (c.kind === 'preflight' && bareCase ? '÷ bare: to its GET' : ''),
    ];
  });
}

function range(ratio: PairedRatio): string {
  return `${ratio.median.toFixed(3)}× (rounds ${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})`;
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '—';
}

export interface LibraryRunInfo {
  readonly startedAt: Date;
  readonly settings: { readonly connections: number; readonly duration: number; readonly warmup: number; readonly rounds: number };
  readonly machine: { readonly cpu: string; readonly cores: number; readonly node: string; readonly loadAverage: { readonly before: number; readonly after: number } };
}

/** `--only library`: the table and targets on the terminal, and bench/results/library-<timestamp>.{json,md} (and library-latest). */
export async function writeLibraryReport(results: readonly LibraryCaseResult[], info: LibraryRunInfo, resultsDir: string, log: (line: string) => void): Promise<void> {
  const targets = libraryTargets(results);
  const during = results.flatMap((c) => c.samples.map((s) => s.loadAverage));
  const { machine, settings } = info;
  const context =
    `Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}. Load average ${machine.loadAverage.before.toFixed(1)} before, ` +
    `${fixed(Math.min(...during), 1)}–${fixed(Math.max(...during), 1)} during the rounds, ${machine.loadAverage.after.toFixed(1)} after. ` +
    `wrk (1 thread), ${settings.connections} connections, ${settings.duration} s measured after ${settings.warmup} s of warm-up per case and round, ${settings.rounds} paired rounds.`;
  const targetLine = (t: Target) => `${t.held ? 'HELD  ' : 'MISSED'}  ${t.name}: ${t.measured} (target ${t.target})`;
  const rows = libraryRows(results);
  log(`done\n\n${context}\n\n${aligned([LIBRARY_HEADER, ...rows]).join('\n')}\n\n${targets.map(targetLine).join('\n')}\n`);
  const md = [
    context,
    '',
    `| ${LIBRARY_HEADER.join(' | ')} |`,
    `|${LIBRARY_HEADER.map(() => '---').join('|')}|`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    ...targets.map((t) => `- ${targetLine(t)}`),
    '',
  ].join('\n');
  await mkdir(resultsDir, { recursive: true });
  const stamp = info.startedAt.toISOString().replace(/[:.]/g, '-');
  for (const name of [`library-${stamp}`, 'library-latest']) {
    await writeFile(join(resultsDir, `${name}.json`), JSON.stringify({ ...info, library: results, targets }, null, 2));
    await writeFile(join(resultsDir, `${name}.md`), md);
  }
  log(`results: bench/results/library-${stamp}.{json,md} (and library-latest.{json,md})`);
}

function aligned(lines: readonly string[][]): string[] {
  const widths = lines[0]!.map((_, column) => Math.max(...lines.map((line) => (line[column] ?? '').length)));
  return lines.map((line) => line.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd());
}
