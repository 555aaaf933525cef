import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (reliability/lib/ is two levels down). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where each part writes its JSON result (git-ignored); RELIABILITY.md is generated from them. */
export const resultsDir = join(repoRoot, 'reliability', 'results');

/**
 * Imports a module of the build (`dist/`), typed by its TypeScript source. The apps run from
 * tsc's output (Nest needs its decorator metadata), and so does the database library they share.
 */
export function importBuilt<Module>(sourcePath: string): Promise<Module> {
  const built = join(repoRoot, 'dist', sourcePath.replace(/\.ts$/, '.js'));
  return import(pathToFileURL(built).href) as Promise<Module>;
}
