import { execFile } from 'node:child_process';
import { cp, mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

// Jest runs from the project's root.
const PROJECT = resolve(process.cwd());

/** How long one `npm install` may take: minutes on a cold cache and a slow registry. */
const INSTALL_TIMEOUT_MS = 180_000;
const BUILD_TIMEOUT_MS = 90_000;

/**
 * The environment of an npm run from this test: the test's own, without what an outer `npm
 * test` exported about this project (its package, its script, its prefix), so that npm in the
 * example's folder sees only that folder. npm's configuration (cache, registry, certificates)
 * is kept: the cache is what makes the install fast.
 */
function npmEnvironment(): NodeJS.ProcessEnv {
  const entries = Object.entries(process.env).filter(
    ([name]) => !name.startsWith('npm_') || (name.startsWith('npm_config_') && name !== 'npm_config_local_prefix'),
  );
  return Object.fromEntries(entries);
}

function npm(args: string[], cwd: string, timeoutMs: number): Promise<void> {
  return new Promise((done, fail) => {
    execFile('npm', args, { cwd, env: npmEnvironment(), timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`npm ${args.join(' ')} in ${cwd} failed (${error.message}):\n${stdout}\n${stderr}`));
      else done();
    });
  });
}

/**
 * Copies `examples/<name>` (its sources and package.json only) to `<work>/examples/<name>`, as a
 * user's checkout of it, then installs and builds it there with npm. `<work>` is outside this
 * project, so nothing in the copy can resolve from the project's node_modules; the example's
 * `file:../../dist/packages/...` dependency finds the tarball packed into `<work>/dist/packages`.
 */
export async function installExample(name: string, work: string, log: (line: string) => void): Promise<string> {
  const source = join(PROJECT, 'examples', name);
  const dir = join(work, 'examples', name);
  await mkdir(dir, { recursive: true });
  for (const part of ['package.json', 'tsconfig.json', 'src']) await cp(join(source, part), join(dir, part), { recursive: true });
  let started = performance.now();
  log(`${name}: npm install …`);
  // --prefer-offline: the packages are in npm's cache after the project's own `npm ci`.
  await npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], dir, INSTALL_TIMEOUT_MS);
  log(`${name}: installed in ${seconds(started)} s; npm run build …`);
  started = performance.now();
  await npm(['run', 'build', '--silent'], dir, BUILD_TIMEOUT_MS);
  log(`${name}: built in ${seconds(started)} s`);
  return dir;
}

/** The dependency tree npm installed in `dir`: one folder per line. */
export function installedPackages(dir: string): Promise<string[]> {
  return new Promise((done, fail) => {
    execFile('npm', ['ls', '--all', '--parseable'], { cwd: dir, env: npmEnvironment(), maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) fail(error);
      else done(stdout.split('\n').filter(Boolean));
    });
  });
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}
