// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time,
// and self time by package. Run on its own: npx tsx bench/profile/summarise-cpu-profile.ts FILE [N]
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export async function summariseCpuProfile(file: string, top = 25): Promise<string> {
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByFunction = new Map<string, number>();
  const selfByPackage = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const node = byId.get(profile.samples[i]!);
    const micros = profile.timeDeltas[i] ?? 0;
    if (!node) continue;
    total += micros;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = shorten(url);
    const key = `${functionName || '(anonymous)'}  ${where}${where ? `:${lineNumber + 1}` : ''}`;
    selfByFunction.set(key, (selfByFunction.get(key) ?? 0) + micros);
    selfByPackage.set(packageOf(url, functionName), (selfByPackage.get(packageOf(url, functionName)) ?? 0) + micros);
  }
  const list = (map: Map<string, number>, n: number) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, micros]) => `${((micros / total) * 100).toFixed(1).padStart(5)}%  ${(micros / 1000).toFixed(0).padStart(6)} ms  ${name}`);
  return [
    `total ${(total / 1000).toFixed(0)} ms sampled`,
    'self time by package:',
    ...list(selfByPackage, 15),
    `top ${top} functions by self time:`,
    ...list(selfByFunction, top),
  ].join('\n');
}

function shorten(url: string): string {
  return url.replace(/^file:\/\/.*?\/(node_modules|dist|bench)\//, '$1/');
}

/** `node_modules/<package>`, the project's own build (`dist/<app or lib>`), node internals, or V8. */
function packageOf(url: string, functionName: string): string {
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1]!;
  const own = /\/dist\/((?:apps|libs)\/[^/]+)/.exec(url);
  if (own) return own[1]!;
  if (url.startsWith('node:')) return 'node internals';
  return url ? shorten(url) : `(${functionName || 'program'})`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, top] = process.argv.slice(2);
  if (!file) {
    process.stderr.write('usage: summarise-cpu-profile FILE [N]\n');
    process.exit(2);
  }
  process.stdout.write(`${await summariseCpuProfile(file, Number(top ?? 25))}\n`);
}
