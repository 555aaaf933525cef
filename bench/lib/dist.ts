import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (bench/lib/ is two levels down). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Imports a module of the build (`dist/`), typed by its TypeScript source. The apps are run
 * from tsc's output because Nest's dependency injection needs the decorator metadata that
 * tsc emits and the benchmark's own runner (tsx/esbuild) does not.
 */
export function importBuilt<Module>(sourcePath: string): Promise<Module> {
  const built = join(repoRoot, 'dist', sourcePath.replace(/\.ts$/, '.js'));
  return import(pathToFileURL(built).href) as Promise<Module>;
}
