import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml, stringify } from 'yaml';
import { addOrigins, createTenant } from '../../../test/factories/admin-api.factory.js';
import { freePort } from '../../../test/support/free-port.js';
import { type AdminTestApp, startAdminTestApp, TEST_ADMIN_TOKEN } from '../../../test/support/admin-test-app.js';
import { runCli } from './cli.js';

/** Each test runs the CLI as processes of its own, a few seconds each on a busy machine. */
const CLI_TIMEOUT_MS = 120_000;

const BIN = join(import.meta.dirname, '..', 'bin', 'corsmesh.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `corsmesh …` as a user runs it (the package's bin), in a process of its own. */
function corsmesh(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr });
    });
  });
}

describe(runCli.name, () => {
  let api: AdminTestApp;
  let url: string;
  let dir: string;
  let auth: string[];

  beforeAll(async () => {
    api = await startAdminTestApp();
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
    auth = ['--url', url, '--token', TEST_ADMIN_TOKEN];
    dir = await mkdtemp(join(tmpdir(), 'corsmesh-cli-'));
    await createTenant(api, { slug: 'cli-a', hostnames: ['cli-a.example.net'] });
    await createTenant(api, { slug: 'cli-b' });
    await addOrigins(api, 'cli-a', 'https://app.cli-a.example');
    // The document the tests edit: the configuration as the tests start.
    const dumped = await api.request({ method: 'GET', url: '/api/v1/export', headers: { accept: 'application/yaml' } });
    await writeFile(join(dir, 'start.yaml'), dumped.body);
  });
  afterAll(async () => {
    await api.close();
    await rm(dir, { recursive: true, force: true });
  });

  const maxAgeOf = async (slug: string) => (await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}/policy` })).json().maxAge;
  const edited = async (name: string, change: (document: { tenants: Record<string, any>[] }) => void) => {
    const document = parseYaml(await readFile(join(dir, 'start.yaml'), 'utf8'));
    change(document);
    const file = join(dir, name);
    await writeFile(file, stringify(document));
    return file;
  };

  it('dumps the native document as YAML, to standard output or a file', async () => {
    const out = await corsmesh(['dump', ...auth]);
    const file = await corsmesh(['dump', '-o', join(dir, 'dump.yaml'), ...auth]);

    expect(out.code).toBe(0);
    expect(parseYaml(out.stdout)).toMatchObject({ version: 1, tenants: [{ slug: 'cli-a', hostnames: ['cli-a.example.net'] }, { slug: 'cli-b' }] });
    expect(file.code).toBe(0);
    expect(parseYaml(await readFile(join(dir, 'dump.yaml'), 'utf8'))).toEqual(parseYaml(out.stdout));
    expect(parseYaml(out.stdout)).toEqual(parseYaml(await readFile(join(dir, 'start.yaml'), 'utf8')));
  }, CLI_TIMEOUT_MS);

  it('diff --exit-code: 0 in sync, 2 with differences shown field by field', async () => {
    const inSync = await corsmesh(['diff', join(dir, 'start.yaml'), '--exit-code', ...auth]);
    expect(inSync).toMatchObject({ code: 0, stdout: 'in sync: 2 tenant(s) unchanged\n' });

    const file = await edited('changed.yaml', (document) => {
      document.tenants[0]!.policy.maxAge = 1200;
      document.tenants[0]!.origins.push({ origin: 'https://new.cli-a.example' });
    });
    const differs = await corsmesh(['diff', file, '--exit-code', ...auth]);

    expect(differs.code).toBe(2);
    expect(differs.stdout).toContain('~ cli-a (update)\n    policy.maxAge: 600 → 1200\n    origins: +https://new.cli-a.example\n');
    expect(differs.stdout).toContain('0 to create, 1 to update, 0 to delete, 1 unchanged');
    expect((await corsmesh(['diff', file, ...auth])).code).toBe(0);
  }, CLI_TIMEOUT_MS);

  it('diff --json gives the plan to machines', async () => {
    const file = await edited('json.yaml', (document) => {
      document.tenants[1]!.name = 'Renamed';
    });
    const run = await corsmesh(['diff', file, '--json', ...auth]);

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).changes).toContainEqual({ tenant: 'cli-b', action: 'update', fields: ['name'], diff: [{ field: 'name', before: 'Tenant cli-b', after: 'Renamed' }] });
  }, CLI_TIMEOUT_MS);

  it('apply --dry-run shows the plan and changes nothing; apply applies it with a summary', async () => {
    const file = await edited('apply.yaml', (document) => {
      document.tenants[0]!.policy.maxAge = 1200;
    });

    const dry = await corsmesh(['apply', file, '--dry-run', ...auth]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('policy.maxAge: 600 → 1200');
    expect(await maxAgeOf('cli-a')).toBe(600);

    const applied = await corsmesh(['apply', file, ...auth]);
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/applied in \d+\.\d s: 0 created, 1 updated, 0 deleted, 1 unchanged/);
    expect(applied.stderr).toContain('applying 1 change(s) in one transaction');
    expect(await maxAgeOf('cli-a')).toBe(1200);
    expect((await corsmesh(['diff', file, '--exit-code', ...auth])).code).toBe(0);
  }, CLI_TIMEOUT_MS);

  it('apply --prune deletes the tenants the file does not name', async () => {
    await createTenant(api, { slug: 'cli-doomed' });
    const file = await edited('prune.yaml', (document) => {
      document.tenants[0]!.policy.maxAge = 1200;
    });

    const run = await corsmesh(['apply', file, '--prune', ...auth]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('- cli-doomed (delete)');
    expect((await api.request({ method: 'GET', url: '/api/v1/tenants/cli-doomed' })).statusCode).toBe(404);
  }, CLI_TIMEOUT_MS);

  it('validate works offline and names every invalid field', async () => {
    const file = join(dir, 'invalid.yaml');
    await writeFile(file, stringify({ version: 1, tenants: [{ slug: 'x', name: 'X', origins: [{ origin: 'https://*.com' }], policy: { allowCredentials: true, maxAge: -1 } }] }));

    const run = await corsmesh(['validate', file]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('corsmesh: ');
    expect(run.stderr).toContain('tenants[0].policy.maxAge: must be at least 0');
    expect((await corsmesh(['validate', join(dir, 'start.yaml')])).stdout).toContain('is valid: 2 tenant(s)');
  }, CLI_TIMEOUT_MS);

  it('import shows the plan of a foreign file and applies it only with --apply', async () => {
    const file = join(dir, 'cors.json');
    await writeFile(file, JSON.stringify({ CORSRules: [{ AllowedOrigins: ['https://s3.cli-b.example'], AllowedMethods: ['GET'], MaxAgeSeconds: 60 }] }));

    const planned = await corsmesh(['import', '--format', 's3', '--tenant', 'cli-b', file, ...auth]);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain('~ cli-b (update)');
    expect(await maxAgeOf('cli-b')).toBe(600);

    const applied = await corsmesh(['import', '--format', 's3', '--tenant', 'cli-b', file, '--apply', ...auth]);
    expect(applied.code).toBe(0);
    expect(await maxAgeOf('cli-b')).toBe(60);
  }, CLI_TIMEOUT_MS);

  it('export writes a format and says how much it could not represent', async () => {
    const run = await corsmesh(['export', '--format', 's3', '--tenant', 'cli-b'], { CORSMESH_URL: url, CORSMESH_TOKEN: TEST_ADMIN_TOKEN });

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      CORSRules: [{ ID: 'cli-b', AllowedOrigins: ['https://s3.cli-b.example'], AllowedMethods: ['GET'], AllowedHeaders: [], ExposeHeaders: [], MaxAgeSeconds: 60 }],
    });
    const xml = await corsmesh(['export', '--format', 's3', '--tenant', 'cli-b', '--as', 'xml', ...auth]);
    expect(xml.stdout).toContain('<AllowedOrigin>https://s3.cli-b.example</AllowedOrigin>');
  }, CLI_TIMEOUT_MS);

  it('says in one line that the token is bad, and exits 1', async () => {
    const run = await corsmesh(['dump', '--url', url, '--token', 'not-the-token']);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^corsmesh: the admin API at .* refused the token \(401: the token is not valid or was revoked\); check --token or CORSMESH_TOKEN\n$/);
  }, CLI_TIMEOUT_MS);

  it('says in one line that the API is unreachable, and exits 1', async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    const run = await corsmesh(['dump', '--url', nowhere, '--token', 'x']);

    expect(run.code).toBe(1);
    expect(run.stderr).toBe(`corsmesh: cannot reach the admin API at ${nowhere} (ECONNREFUSED); check --url or CORSMESH_URL\n`);
  }, CLI_TIMEOUT_MS);

  it('refuses to run without a token', async () => {
    expect(await corsmesh(['dump', '--url', url])).toMatchObject({ code: 1, stderr: 'corsmesh: no token: pass --token or set CORSMESH_TOKEN\n' });
  }, CLI_TIMEOUT_MS);
});
