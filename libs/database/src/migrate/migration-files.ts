import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One migration folder of `prisma/migrations`, in Prisma's format. */
export interface MigrationFile {
  /** The folder name, e.g. `20261125130000_created_tenancy_and_policy_tables`. */
  readonly name: string;
  readonly sql: string;
  /** SHA-256 of the file's bytes, hex: what Prisma stores in `_prisma_migrations.checksum`. */
  readonly checksum: string;
}

/**
 * The `prisma/migrations` folder of this project, found by walking up from this module, so it
 * resolves the same from the TypeScript sources and from the compiled `dist/` tree.
 */
export function defaultMigrationsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'prisma', 'migrations');
    if (existsSync(candidate)) return candidate;
    const parent = resolve(dir, '..');
    if (parent === dir) throw new Error('prisma/migrations not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

/** Reads every migration folder, oldest first (folder names start with a timestamp). */
export async function readMigrationFiles(migrationsDir: string): Promise<MigrationFile[]> {
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await readFile(join(migrationsDir, name, 'migration.sql'));
      return { name, sql: bytes.toString('utf8'), checksum: createHash('sha256').update(bytes).digest('hex') };
    }),
  );
}
