/**
 * Part 3: faults, with two gateway processes and one admin process on one embedded PostgreSQL,
 * under continuous load:
 *   (a) PostgreSQL restarted: known tenants keep being served with correct CORS headers, the
 *       listeners reconnect and resync (a change made after the restart reaches both gateways
 *       within a second), no process dies;
 *   (b) admin writes during an outage: 503 with a clear problem+json, nothing half-written
 *       (database contents compared before and after; writes racing the shutdown are all or
 *       nothing);
 *   (c) a gateway killed with SIGKILL under load and restarted comes back serving.
 *
 *   npm run reliability:faults -- [--rate 150] [--outage-seconds 8]
 *
 * The outage outlasts UNKNOWN_TENANT_CACHE_TTL_SECONDS (5 s), so that expired "no such tenant"
 * entries are exercised too.
 */
import pg from 'pg';
import { numberOption } from './lib/args.js';
import { LoadLoop, type Outcome, type Probe } from './lib/load.js';
import { Checks, writeResult } from './lib/results.js';
import { round, sleep } from './lib/stats.js';
import { App, Database } from './lib/stack.js';

const started = Date.now();
const rate = numberOption('rate', 150, { min: 10, max: 2_000 });
const outageSeconds = numberOption('outage-seconds', 8, { min: 1, max: 60 });
const checks = new Checks();
const TENANTS = 20;
const originOf = (i: number) => `https://app${i}.faults.test`;

type Phase = 'warm-up' | 'restart' | 'after-restart' | 'outage' | 'after-outage' | 'kill' | 'after-kill';
let phase: Phase = 'warm-up';
/** Per phase and gateway: outcomes by class. */
const tally: Record<string, Record<string, number>> = {};
const samples: Record<string, string[]> = {};

function classify(o: Outcome): string {
  if (o.status === 0) return `transport error ${o.error}`;
  const allowed = o.probe.origin !== 'https://evil.faults.test';
  if (!allowed)
    return o.status === 403 && !o.anyCorsHeader
      ? 'ok'
      : `wrong refusal (status ${o.status}, CORS headers ${o.anyCorsHeader})`;
  const expected = o.probe.kind === 'preflight' ? 204 : 200;
  if (o.status !== expected) return `status ${o.status}`;
  if (o.allowOrigin !== o.probe.origin) return `wrong Allow-Origin ${o.allowOrigin}`;
  if (!o.vary?.includes('Origin')) return 'no Vary: Origin';
  return 'ok';
}

function record(o: Outcome): void {
  const key = `${phase} gateway-${o.probe.gateway}`;
  const cls = classify(o);
  const bucket = (tally[key] ??= {});
  bucket[cls] = (bucket[cls] ?? 0) + 1;
  if (cls !== 'ok')
    (samples[key] ??= []).length < 5 &&
      samples[key]!.push(`${o.probe.kind} ${o.probe.tenant} ${o.probe.origin}: ${cls}`);
}

function pick(): Probe {
  const gateway = Math.random() < 0.5 ? 0 : 1;
  const i = Math.floor(Math.random() * TENANTS);
  const roll = Math.random();
  if (roll < 0.2) return { gateway, tenant: `f${i}`, kind: 'actual', origin: 'https://evil.faults.test' };
  if (roll < 0.3) return { gateway, tenant: `f${i}`, kind: 'preflight', origin: originOf(i), method: 'POST' };
  return { gateway, tenant: `f${i}`, kind: 'actual', origin: originOf(i) };
}

const database = await Database.create();
const admin = await App.admin(database);
const gateways = [await App.gateway('gateway-0', database), await App.gateway('gateway-1', database)];
const pids = gateways.map((g) => g.pid);
const root = admin.client();
const load = new LoadLoop(
  gateways.map((g) => g.url),
  rate,
  pick,
  record,
);
const figures: Record<string, unknown> = { rate, outageSeconds, tenants: TENANTS };
let faultsInjected = 0;

async function readyAll(timeoutMs: number): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    const statuses = await Promise.all(
      gateways.map((g) =>
        fetch(`${g.url}/health/ready`).then(
          (r) => r.status,
          () => 0,
        ),
      ),
    );
    if (statuses.every((s) => s === 200)) return round(performance.now() - t0, 0);
    await sleep(20);
  }
  return Infinity;
}

/** Milliseconds until both gateways allow `origin` for `tenant`, polling every 10 ms. */
async function propagation(tenant: string, origin: string, timeoutMs = 5_000): Promise<number> {
  const t0 = performance.now();
  while (performance.now() - t0 < timeoutMs) {
    const answers = await Promise.all(
      gateways.map((_, gateway) => load.send({ gateway, tenant, kind: 'actual', origin })),
    );
    if (answers.every((a) => a.allowOrigin === origin)) return round(performance.now() - t0, 0);
    await sleep(10);
  }
  return Infinity;
}

/** A fingerprint of every table the admin writes: row counts and a hash of their contents. */
async function snapshot(): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    const result: Record<string, string> = {};
    for (const table of ['tenants', 'tenant_hostnames', 'cors_policies', 'origin_rules', 'api_keys', 'audit_events']) {
      const { rows } = await client.query(
        `SELECT count(*)::text AS n, coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') AS h FROM ${table} t`,
      );
      result[table] = `${rows[0].n} rows, md5 ${rows[0].h}`;
    }
    return result;
  } finally {
    await client.end();
  }
}

try {
  for (let i = 0; i < TENANTS; i++) {
    await root.createTenant(`f${i}`);
    await root.addOrigin(`f${i}`, originOf(i));
  }
  await root.expect(201, 'POST', '/tenants/f4/api-keys', { name: 'ops' });
  checks.check((await propagation('f19', originOf(19))) < 5_000, 'the seeded tenants never became visible');
  load.start();
  await sleep(3_000);

  // (a) PostgreSQL restarted under load.
  phase = 'restart';
  faultsInjected++;
  const stopAt = performance.now();
  await database.stop();
  await sleep(outageSeconds * 1000);
  await database.start();
  const downMs = round(performance.now() - stopAt, 0);
  const readyMs = await readyAll(30_000);
  phase = 'after-restart';
  checks.check(readyMs < 15_000, `gateways not ready ${readyMs} ms after PostgreSQL came back`);
  // A change made after the restart must arrive through the reconnected listeners.
  const late = await root.request('POST', '/tenants/f0/origins', { origin: 'https://late.faults.test' });
  checks.check(late.status === 201, `adding an origin after the restart: ${late.status} ${late.text.slice(0, 200)}`);
  const arrivalMs = await propagation('f0', 'https://late.faults.test');
  checks.check(
    arrivalMs < 1_000,
    `a change after the restart took ${arrivalMs} ms to reach both gateways (limit 1000)`,
  );
  figures.restart = { databaseDownMs: downMs, gatewaysReadyAfterMs: readyMs, changeAfterRestartArrivalMs: arrivalMs };
  await sleep(2_000);

  // (b) Admin writes during an outage.
  const before = await snapshot();
  phase = 'outage';
  faultsInjected++;
  // Writes racing the shutdown: each is all or nothing, whatever it answered.
  const racing = Array.from({ length: 10 }, (_, i) =>
    sleep(i * 15).then(() =>
      root
        .request('POST', '/tenants', { slug: `race-${i}`, name: `race ${i}` })
        .catch((e: Error) => ({ status: 0, text: e.message, ms: 0 })),
    ),
  );
  await database.stop();
  const raced = await Promise.all(racing);
  const key = (await root.request('GET', '/tenants/f4/api-keys')).body;
  const attempts: [string, string, string, unknown, Record<string, string>?][] = [
    ['create a tenant', 'POST', '/tenants', { slug: 'ghost', name: 'Ghost', hostnames: ['ghost.example.com'] }],
    ['add an origin', 'POST', '/tenants/f1/origins', { origin: 'https://ghost.faults.test' }],
    ['replace the origins', 'PUT', '/tenants/f2/origins', { origins: [{ origin: 'https://ghost.faults.test' }] }],
    ['change the policy', 'PATCH', '/tenants/f3/policy', { allowCredentials: true }, { 'if-match': '"1"' }],
    ['create an API key', 'POST', '/tenants/f4/api-keys', { name: 'ghost' }],
    ['rename a tenant', 'PATCH', '/tenants/f6', { name: 'Ghost' }],
    ['delete a tenant', 'DELETE', '/tenants/f7', undefined],
    ['read the policy', 'GET', '/tenants/f8/policy', undefined],
  ];
  const outageAnswers: Record<string, unknown>[] = [];
  for (const [name, method, path, body, headers] of attempts) {
    const response = await root
      .request(method, path, body, headers)
      .catch((e: Error) => ({ status: 0, text: e.message, ms: 0, headers: new Headers(), body: undefined }));
    const problem = response.body as { code?: string; detail?: string } | undefined;
    outageAnswers.push({
      write: name,
      status: response.status,
      ms: round(response.ms, 0),
      code: problem?.code,
      detail: problem?.detail,
    });
    checks.check(
      response.status === 503,
      `outage: ${name} answered ${response.status}, not 503: ${response.text.slice(0, 200)}`,
    );
    checks.check(
      problem?.code === 'database_unavailable' && /database is unavailable/.test(problem.detail ?? ''),
      `outage: ${name} without a clear database_unavailable problem`,
    );
    checks.check(response.ms < 10_000, `outage: ${name} took ${round(response.ms, 0)} ms`);
  }
  await database.start();
  const outageReadyMs = await readyAll(30_000);
  phase = 'after-outage';
  // Nothing half-written: every table as before, except for racing creations that are whole.
  const raceOutcome: Record<string, unknown>[] = [];
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  let racedCommitted = 0;
  try {
    for (let i = 0; i < raced.length; i++) {
      const slug = `race-${i}`;
      const { rows } = await client.query(
        `SELECT (SELECT count(*) FROM tenants WHERE slug = $1)::int AS tenants,
                (SELECT count(*) FROM cors_policies p JOIN tenants t ON t.id = p.tenant_id WHERE t.slug = $1)::int AS policies,
                (SELECT count(*) FROM audit_events WHERE tenant_slug = $1)::int AS audits`,
        [slug],
      );
      const r = rows[0] as { tenants: number; policies: number; audits: number };
      const whole =
        (r.tenants === 1 && r.policies === 1 && r.audits >= 1) ||
        (r.tenants === 0 && r.policies === 0 && r.audits === 0);
      if (r.tenants === 1) racedCommitted++;
      raceOutcome.push({ slug, answered: raced[i]!.status, ...r });
      checks.check(whole, `outage: ${slug} half-written: ${JSON.stringify(r)}`);
      checks.check(
        !(raced[i]!.status === 201 && r.tenants === 0),
        `outage: ${slug} answered 201 but is gone: data lost`,
      );
      checks.check(
        raced[i]!.status === 201 || raced[i]!.status === 503 || raced[i]!.status === 409,
        `outage: ${slug} racing the shutdown answered ${raced[i]!.status}`,
      );
    }
    await client.query(`DELETE FROM tenants WHERE slug LIKE 'race-%'`);
    await client.query(`DELETE FROM audit_events WHERE tenant_slug LIKE 'race-%'`);
  } finally {
    await client.end();
  }
  const after = await snapshot();
  const changedTables = Object.keys(before).filter((table) => before[table] !== after[table]);
  checks.check(
    changedTables.length === 0,
    `outage: tables changed by writes that answered 503: ${changedTables.join(', ')}`,
  );
  figures.outage = {
    answers: outageAnswers,
    gatewaysReadyAfterMs: outageReadyMs,
    racingWrites: raceOutcome,
    racingCommitted: racedCommitted,
    tablesChanged: changedTables,
    keysListedDuringOutage: key === undefined ? 'no' : 'answered',
  };
  await sleep(2_000);

  // (c) A gateway killed under load and restarted.
  phase = 'kill';
  faultsInjected++;
  const killAt = performance.now();
  await gateways[1]!.stop('SIGKILL');
  await sleep(1_000);
  await gateways[1]!.restart();
  const backMs = round(performance.now() - killAt, 0);
  phase = 'after-kill';
  const served = await propagation('f5', originOf(5));
  checks.check(served < 1_000, `the restarted gateway did not serve tenant f5 correctly (${served} ms)`);
  figures.kill = { servingAgainAfterMs: backMs };
  await sleep(3_000);
} catch (error) {
  checks.check(false, `the run stopped: ${(error as Error).stack ?? String(error)}`);
} finally {
  await load.stop();
  // The first error lines each process logged (level 50+), to explain any failure above.
  figures.loggedErrors = Object.fromEntries(
    [...gateways, admin].map((app) => [
      app.name,
      app.process
        .output()
        .split('\n')
        .filter((line) => /"level":(50|60)/.test(line))
        .slice(0, 3)
        .map((line) => line.slice(0, 600)),
    ]),
  );
  checks.check(gateways[0]!.alive && gateways[0]!.pid === pids[0], 'gateway-0 died or was replaced');
  checks.check(gateways[1]!.alive, 'gateway-1 is not running after its restart');
  checks.check(admin.alive, 'the admin process died');
  for (const app of [...gateways, admin]) if (app.alive) await app.stop();
  await database.destroy().catch(() => undefined);
}

// Judge the load: during a fault, a known tenant must still be answered correctly by the
// gateway that is up; the killed gateway's transport errors in its down window are expected.
let served = 0;
let wrong = 0;
let unexpectedFailures = 0;
let expectedKillErrors = 0;
for (const [key, bucket] of Object.entries(tally)) {
  for (const [cls, n] of Object.entries(bucket)) {
    if (cls === 'ok') {
      served += n;
      continue;
    }
    if (key === 'kill gateway-1' && cls.startsWith('transport error')) {
      expectedKillErrors += n;
      continue;
    }
    if (cls.startsWith('wrong') || cls.startsWith('no Vary')) wrong += n;
    else unexpectedFailures += n;
  }
}
checks.check(wrong === 0, `${wrong} responses with wrong CORS headers: ${JSON.stringify(samples)}`);
checks.check(
  unexpectedFailures === 0,
  `${unexpectedFailures} requests not answered 2xx/403 outside the killed gateway's down window: ${JSON.stringify(samples)}`,
);

await writeResult('faults', started, checks.failures, {
  ...figures,
  faultsInjected,
  requestsSent: load.sent,
  requestsSkippedAtInFlightCap: load.skipped,
  requestsServedCorrectly: served,
  wrongCorsHeaders: wrong,
  unexpectedFailures,
  killedGatewayTransportErrors: expectedKillErrors,
  byPhase: tally,
  samples,
});
process.exitCode = checks.failures.length === 0 ? 0 : 1;
