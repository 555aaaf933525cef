import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root: the nearest folder up with a package.json (this file runs from bench/lib/ and from dist/bench/lib/). */
export const repoRoot = packageRootOf(dirname(fileURLToPath(import.meta.url)));

function packageRootOf(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

/**
 * Imports a module of the build (`dist/`), typed by its TypeScript source. The apps are run
 * from tsc's output because Nest's dependency injection needs the decorator metadata that
 * tsc emits and the benchmark's own runner (tsx/esbuild) does not.
 */
export function importBuilt<Module>(sourcePath: string): Promise<Module> {
  const built = join(repoRoot, 'dist', sourcePath.replace(/\.ts$/, '.js'));
  return import(pathToFileURL(built).href) as Promise<Module>;
}
