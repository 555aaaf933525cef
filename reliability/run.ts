/**
 * The whole campaign with its defaults (about seven minutes on two cores): each part in a
 * process of its own, one after the other, then RELIABILITY.md from their results. A failing
 * part does not stop the others; the exit code says whether all passed.
 *
 *   npm run reliability -- [--soak-duration 60]
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { numberOption } from './lib/args.js';
import { repoRoot } from './lib/paths.js';

const soakDuration = numberOption('soak-duration', 60, { min: 10, max: 600 });
const parts: [string, string[]][] = [
  ['fuzz.ts', []],
  ['hostile.ts', []],
  ['faults.ts', []],
  ['isolation.ts', []],
  ['network.ts', []],
  ['soak.ts', ['--duration', String(soakDuration)]],
  ['report.ts', []],
];

let failed = 0;
for (const [script, args] of parts) {
  process.stdout.write(`\n=== ${script} ${args.join(' ')}\n`);
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, join(repoRoot, 'reliability', script), ...args], {
      stdio: 'inherit',
      cwd: repoRoot,
    });
    child.on('exit', (exitCode) => resolve(exitCode));
  });
  if (code !== 0) failed++;
}
process.exitCode = failed === 0 ? 0 : 1;
