import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem, type as osType, release } from 'node:os';
import { join } from 'node:path';
import { repoRoot, resultsDir } from './paths.js';

/** Where and on what a part ran, recorded with its figures. */
export interface Machine {
  readonly os: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGb: number;
  readonly node: string;
  readonly commit: string;
}

/** What every part writes to `reliability/results/<part>.json`. */
export interface PartResult {
  readonly part: string;
  /** True when every check of the part held. */
  readonly passed: boolean;
  readonly startedAt: string;
  readonly durationSeconds: number;
  readonly machine: Machine;
  /** Checks that failed, in words; empty when passed. */
  readonly failures: readonly string[];
  readonly figures: Record<string, unknown>;
}

export function machine(): Machine {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    // Not a git checkout (e.g. an exported tarball): the figures stand without a commit.
  }
  return {
    os: `${osType()} ${release()}`,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    commit,
  };
}

/** Records the outcome of one part and prints a one-line summary. */
export async function writeResult(
  part: string,
  started: number,
  failures: readonly string[],
  figures: Record<string, unknown>,
): Promise<PartResult> {
  const result: PartResult = {
    part,
    passed: failures.length === 0,
    startedAt: new Date(started).toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 100) / 10,
    machine: machine(),
    failures,
    figures,
  };
  await mkdir(resultsDir, { recursive: true });
  await writeFile(join(resultsDir, `${part}.json`), `${JSON.stringify(result, null, 2)}\n`);
  const verdict = result.passed ? 'PASSED' : `FAILED (${failures.length})`;
  process.stdout.write(`\n[${part}] ${verdict} in ${result.durationSeconds} s\n`);
  for (const failure of failures.slice(0, 20)) process.stdout.write(`  - ${failure}\n`);
  return result;
}

/** Collects failed checks without stopping the part, so one run reports everything it saw. */
export class Checks {
  readonly failures: string[] = [];

  check(condition: boolean, message: string): boolean {
    if (!condition) this.failures.push(message);
    return condition;
  }
}
