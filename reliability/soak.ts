/**
 * Part 4: soak. Two gateways, one admin, 1,000 tenants. For the duration, admin writes (origins
 * added, removed and replaced, allowed methods changed) run alongside gateway traffic. Every
 * write is recorded on a timeline (sent, acknowledged, the policy after it); afterwards every
 * response is judged against the policies that can have been in force when it was decided,
 * allowing the one-second propagation window. No request may fail (transport error or 5xx), and
 * the gateways' resident memory, sampled, must not keep growing (first vs last third).
 *
 *   npm run reliability:soak -- [--duration 60] [--rate 150] [--writes-per-second 4]
 */
import { numberOption } from './lib/args.js';
import { LoadLoop, type Outcome, type Probe } from './lib/load.js';
import { Checks, writeResult } from './lib/results.js';
import { round, sleep } from './lib/stats.js';
import { App, Database, residentBytes } from './lib/stack.js';

const started = Date.now();
const durationSeconds = numberOption('duration', 60, { min: 10, max: 600 });
const rate = numberOption('rate', 150, { min: 10, max: 2_000 });
const writesPerSecond = numberOption('writes-per-second', 4, { min: 0.1, max: 50 });
const TENANTS = 1_000;
const HOT = 50;
const WINDOW_MS = 1_000;
const checks = new Checks();

const a = (i: number) => `https://a${i}.soak.test`;
const b = (i: number) => `https://b${i}.soak.test`;
const EVIL = 'https://evil.soak.test';

/** What decides a response in this soak: the tenant's origins and whether PUT is allowed. */
interface State {
  readonly origins: ReadonlySet<string>;
  readonly putAllowed: boolean;
}
/** One committed write: sent at `sentAt`, acknowledged at `ackAt`; `state` is in force after it. */
interface Write {
  readonly sentAt: number;
  readonly ackAt: number;
  readonly state: State;
  readonly op: string;
}
const initial: State = { origins: new Set(), putAllowed: false };
const timeline = new Map<number, Write[]>();
const model = new Map<number, { state: State; version: number; bId?: string }>();

function expectedAllowed(state: State, probe: Probe): boolean {
  if (!state.origins.has(probe.origin)) return false;
  return probe.kind === 'actual' || state.putAllowed;
}

const outcomes: Outcome[] = [];
const database = await Database.create();
const admin = await App.admin(database);
const gateways = [await App.gateway('gateway-0', database), await App.gateway('gateway-1', database)];
const root = admin.client();
const load = new LoadLoop(
  gateways.map((g) => g.url),
  rate,
  pick,
  (o) => outcomes.push(o),
);

function pick(): Probe {
  const i = Math.random() < 0.6 ? Math.floor(Math.random() * HOT) : Math.floor(Math.random() * TENANTS);
  const roll = Math.random();
  const origin = roll < 0.45 ? a(i) : roll < 0.85 ? b(i) : EVIL;
  const gateway = Math.random() < 0.5 ? 0 : 1;
  return Math.random() < 0.3
    ? { gateway, tenant: `s${i}`, kind: 'preflight', origin, method: 'PUT' }
    : { gateway, tenant: `s${i}`, kind: 'actual', origin };
}

const figures: Record<string, unknown> = {
  durationSeconds,
  rate,
  writesPerSecond,
  tenants: TENANTS,
  hotTenants: HOT,
  windowMs: WINDOW_MS,
};
const memory: { at: number; rss: (number | null)[] }[] = [];
let failedWrites = 0;
const failedWriteSamples: string[] = [];

try {
  // 1,000 tenants through the admin API, eight at a time.
  const setupStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < TENANTS) {
        const i = next++;
        await root.createTenant(`s${i}`);
        await root.addOrigin(`s${i}`, a(i));
        model.set(i, { state: { origins: new Set([a(i)]), putAllowed: false }, version: 1 });
      }
    }),
  );
  figures.setupSeconds = round((performance.now() - setupStarted) / 1000, 1);
  // Every tenant's seeded state counts from before the soak: creation was before any request.
  for (const [i, m] of model) timeline.set(i, [{ sentAt: -Infinity, ackAt: -Infinity, state: m.state, op: 'seed' }]);
  await sleep(WINDOW_MS);
  // Warm both caches with every tenant, so memory is compared at a steady number of policies.
  for (let i = 0; i < TENANTS; i += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, k) =>
        Promise.all(
          gateways.map((_, g) => load.send({ gateway: g, tenant: `s${i + k}`, kind: 'actual', origin: a(i + k) })),
        ),
      ),
    );
  }

  const sampler = setInterval(() => {
    void Promise.all(gateways.map((g) => residentBytes(g.pid))).then((rss) =>
      memory.push({ at: performance.now(), rss }),
    );
  }, 2_000);
  load.start();
  const endAt = performance.now() + durationSeconds * 1000;
  const gapMs = 1000 / writesPerSecond;
  while (performance.now() < endAt) {
    const tick = performance.now();
    await oneWrite();
    await sleep(Math.max(0, gapMs - (performance.now() - tick)));
  }
  await load.stop();
  clearInterval(sampler);
} catch (error) {
  checks.check(false, `the run stopped: ${(error as Error).stack ?? String(error)}`);
  await load.stop();
} finally {
  checks.check(gateways.every((g) => g.alive) && admin.alive, 'a process died during the soak');
  for (const app of [...gateways, admin]) await app.stop();
  await database.destroy();
}

async function oneWrite(): Promise<void> {
  const i = Math.floor(Math.random() * HOT);
  const slug = `s${i}`;
  const m = model.get(i)!;
  const origins = new Set(m.state.origins);
  let putAllowed = m.state.putAllowed;
  const roll = Math.random();
  let op: string;
  let request: () => ReturnType<typeof root.request>;
  let bId: string | undefined = m.bId;
  if (roll < 0.3) {
    if (origins.has(b(i))) {
      op = 'remove origin';
      request = () => root.request('DELETE', `/tenants/${slug}/origins/${m.bId}`);
      origins.delete(b(i));
      bId = undefined;
    } else {
      op = 'add origin';
      request = () => root.request('POST', `/tenants/${slug}/origins`, { origin: b(i) });
      origins.add(b(i));
    }
  } else if (roll < 0.6) {
    op = 'replace origins';
    const withB = Math.random() < 0.5;
    const withA = Math.random() < 0.8;
    origins.clear();
    if (withA) origins.add(a(i));
    if (withB) origins.add(b(i));
    request = () =>
      root.request('PUT', `/tenants/${slug}/origins`, { origins: [...origins].map((origin) => ({ origin })) });
  } else {
    op = putAllowed ? 'disallow PUT' : 'allow PUT';
    putAllowed = !putAllowed;
    const methods = putAllowed ? ['GET', 'HEAD', 'POST', 'PUT'] : ['GET', 'HEAD', 'POST'];
    request = () => root.request('PATCH', `/tenants/${slug}/policy`, { allowedMethods: methods, version: m.version });
  }
  const sentAt = performance.now();
  const response = await request().catch((e: Error) => ({ status: 0, text: e.message, body: undefined }));
  const ackAt = performance.now();
  if (response.status < 200 || response.status >= 300) {
    failedWrites++;
    if (failedWriteSamples.length < 5)
      failedWriteSamples.push(`${op} ${slug}: ${response.status} ${response.text.slice(0, 200)}`);
    return;
  }
  if (op === 'add origin') bId = (response.body as { id: string }).id;
  if (op === 'replace origins')
    bId = (response.body as { items: { id: string; value: string }[] }).items.find((r) => r.value === b(i))?.id;
  const state: State = { origins, putAllowed };
  const version = op.endsWith('PUT') ? (response.body as { version: number }).version : m.version;
  model.set(i, { state, version, bId });
  timeline.get(i)!.push({ sentAt, ackAt, state, op });
}

// Judge every response against the states that can have been in force, with the window.
let inconsistent = 0;
let failed = 0;
let judged = 0;
let judgedNearWrite = 0;
const inconsistentSamples: string[] = [];
const failedSamples: string[] = [];
for (const o of outcomes) {
  if (o.status === 0 || o.status >= 500) {
    failed++;
    if (failedSamples.length < 5)
      failedSamples.push(
        `${o.probe.kind} ${o.probe.tenant} via gateway-${o.probe.gateway}: ${o.status} ${o.error ?? ''}`,
      );
    continue;
  }
  judged++;
  const i = Number(o.probe.tenant.slice(1));
  const writes = timeline.get(i) ?? [{ sentAt: -Infinity, ackAt: -Infinity, state: initial, op: 'none' }];
  const allowed =
    (o.status === 200 || o.status === 204) && o.allowOrigin === o.probe.origin && (o.vary ?? '').includes('Origin');
  const refused = o.status === 403 && !o.anyCorsHeader;
  // State k is in force from write k's commit (no earlier than its sentAt) until write k+1's
  // commit (no later than its ackAt); a response may reflect it until one window after that.
  const admissible = writes.filter(
    (w, k) => w.sentAt <= o.answeredAt && (writes[k + 1]?.ackAt ?? Infinity) + WINDOW_MS >= o.sentAt,
  );
  if (admissible.length > 1) judgedNearWrite++;
  const ok = admissible.some((w) => (expectedAllowed(w.state, o.probe) ? allowed : refused));
  if (!ok) {
    inconsistent++;
    if (inconsistentSamples.length < 5) {
      inconsistentSamples.push(
        `${o.probe.kind} ${o.probe.tenant} ${o.probe.origin} via gateway-${o.probe.gateway} at ${round(o.sentAt, 0)} ms: status ${o.status}, Allow-Origin ${o.allowOrigin}; states ${admissible.map((w) => `${w.op}@${round(w.sentAt, 0)}`).join(', ')}`,
      );
    }
  }
}
checks.check(outcomes.length > 0, 'no request was sent');
checks.check(failed === 0, `${failed} requests failed (transport error or 5xx): ${failedSamples.join(' | ')}`);
checks.check(
  inconsistent === 0,
  `${inconsistent} responses inconsistent with the policy in force: ${inconsistentSamples.join(' | ')}`,
);
checks.check(failedWrites === 0, `${failedWrites} admin writes failed: ${failedWriteSamples.join(' | ')}`);

// Memory: mean RSS of the first and last thirds of the samples, per gateway.
const thirds = Math.floor(memory.length / 3);
const rssFigures = gateways.map((_, g) => {
  const values = memory.map((m) => m.rss[g]).filter((v): v is number => typeof v === 'number');
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  const first = mean(values.slice(0, thirds));
  const last = mean(values.slice(-thirds));
  const mb = (x: number) => round(x / 2 ** 20, 1);
  return {
    samples: values.length,
    firstThirdMb: mb(first),
    lastThirdMb: mb(last),
    growthPercent: round(((last - first) / first) * 100, 1),
    maxMb: mb(Math.max(...values)),
  };
});
for (const [g, r] of rssFigures.entries()) {
  if (r.samples < 6) continue;
  // Bounded, not flat: V8's heap breathes. Growth beyond 25% (and 16 MB) would be a leak signal.
  checks.check(
    r.lastThirdMb - r.firstThirdMb <= Math.max(16, r.firstThirdMb * 0.25),
    `gateway-${g} RSS grew from ${r.firstThirdMb} MB to ${r.lastThirdMb} MB`,
  );
}

const writes = [...timeline.values()].flat().filter((w) => w.op !== 'seed');
await writeResult('soak', started, checks.failures, {
  ...figures,
  requestsSent: load.sent,
  requestsSkippedAtInFlightCap: load.skipped,
  requestsJudged: judged,
  requestsJudgedNearAWrite: judgedNearWrite,
  requestsFailed: failed,
  inconsistentResponses: inconsistent,
  adminWritesCommitted: writes.length,
  adminWritesByKind: writes.reduce<Record<string, number>>((acc, w) => ((acc[w.op] = (acc[w.op] ?? 0) + 1), acc), {}),
  adminWritesFailed: failedWrites,
  adminWriteMsP99: round(
    writes.map((w) => w.ackAt - w.sentAt).sort((x, y) => x - y)[Math.floor(writes.length * 0.99)] ?? 0,
    1,
  ),
  memory: rssFigures,
  samples: { inconsistent: inconsistentSamples, failed: failedSamples, failedWrites: failedWriteSamples },
});
process.exitCode = checks.failures.length === 0 ? 0 : 1;
