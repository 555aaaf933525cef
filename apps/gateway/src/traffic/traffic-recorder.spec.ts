import type { FastifyRequest } from 'fastify';
import { compilePolicy, type CorsTarget, decide, DEFAULT_POLICY } from '#dynamic-cors';
import { TENANTS_PER_BATCH, toBatches, type TrafficBatch } from './traffic-batch.js';
import type { TrafficWindow } from './traffic-window.js';
import { MAX_RECORDED_LENGTH, TrafficRecorder } from './traffic-recorder.js';

const policy = compilePolicy({ ...DEFAULT_POLICY, origins: [{ id: 'r1', kind: 'exact', value: 'https://app.test' }] });
const target: CorsTarget = { tenantId: 't1', slug: 'shop', policy };

function request(method: string, origin: string | undefined, extra: Record<string, string> = {}): FastifyRequest {
  return { method, url: '/t/shop/orders/7?x=1', headers: { ...(origin === undefined ? {} : { origin }), ...extra } } as unknown as FastifyRequest;
}

function record(recorder: TrafficRecorder, req: FastifyRequest) {
  const decision = decide(policy, {
    method: req.method,
    origin: req.headers.origin,
    selfOrigin: 'http://gateway.test',
    accessControlRequestMethod: req.headers['access-control-request-method'] as string | undefined,
    accessControlRequestHeaders: req.headers['access-control-request-headers'] as string | undefined,
  });
  recorder.record(req, target, decision);
}

function onlyBatch(window: TrafficWindow): TrafficBatch {
  const batches = [...toBatches(window)];
  expect(batches).toHaveLength(1);
  return batches[0]!;
}

describe(TrafficRecorder.name, () => {
  const recorder = (perTenant = 100, total = 1000) => new TrafficRecorder({ perTenant, total }, () => '/t/shop'.length, () => 0);

  it('records nothing for requests without cross-origin CORS', () => {
    const traffic = recorder();
    record(traffic, request('GET', undefined));
    record(traffic, request('GET', 'http://gateway.test'));
    expect(traffic.take().isEmpty).toBe(true);
  });

  it('merges tuples whose methods and requested headers differ only in spelling', () => {
    const traffic = recorder();
    const headers = { 'access-control-request-method': 'PUT' };
    record(traffic, request('OPTIONS', 'https://app.test', { ...headers, 'access-control-request-headers': 'X-B, x-a' }));
    record(traffic, request('OPTIONS', 'https://app.test', { ...headers, 'access-control-request-headers': 'x-a,X-B' }));
    const batch = onlyBatch(traffic.take());
    expect(batch.tuples).toEqual([expect.objectContaining({ method: 'PUT', request_headers: 'x-a,x-b', preflight: true, count: 2, sample_path: '/orders/7' })]);
    expect(batch.usage).toEqual([{ rule_id: 'r1', tenant_id: 't1', count: 2 }]);
    expect(batch.buckets).toEqual([expect.objectContaining({ refused: 2, preflights: 2, refused_by_reason: { method_not_allowed: 2 } })]);
  });

  it('counts each tuple and rule as often as it was requested, whichever tuple came before', () => {
    const twoRules = compilePolicy({
      ...DEFAULT_POLICY,
      origins: [
        { id: 'r1', kind: 'exact', value: 'https://app.test' },
        { id: 'r2', kind: 'wildcard', value: 'https://*.app.test' },
      ],
    });
    const traffic = recorder();
    const sent: [string, string][] = [
      ['GET', 'https://app.test'],
      ['GET', 'https://app.test'],
      ['GET', 'https://x.app.test'],
      ['GET', 'https://app.test'],
      ['POST', 'https://app.test'],
      ['GET', 'https://x.app.test'],
      ['GET', 'https://x.app.test'],
    ];
    for (const [method, origin] of sent) {
      const req = request(method, origin);
      traffic.record(req, { ...target, policy: twoRules }, decide(twoRules, { method, origin, selfOrigin: 'http://gateway.test' }));
    }
    const batch = onlyBatch(traffic.take());
    expect(batch.tuples.map((t) => [t.origin, t.method, t.count]).sort()).toEqual([
      ['https://app.test', 'GET', 3],
      ['https://app.test', 'POST', 1],
      ['https://x.app.test', 'GET', 3],
    ]);
    expect(batch.usage.map((u) => [u.rule_id, u.count]).sort()).toEqual([
      ['r1', 4],
      ['r2', 3],
    ]);
    expect(batch.buckets[0]!.allowed).toBe(7);
  });

  it('caps distinct entries per tenant and counts what it dropped, still counting totals', () => {
    const traffic = recorder(10);
    for (let i = 0; i < 50; i++) record(traffic, request('GET', `https://r${i}.test`));
    const batch = onlyBatch(traffic.take());
    expect(batch.refusals.length + batch.tuples.length).toBe(10);
    expect(batch.dropped).toBeGreaterThan(0);
    expect(batch.buckets[0]!.refused).toBe(50);
  });

  it('cuts an overlong origin so that it is one entry of bounded size', () => {
    const traffic = recorder();
    const long = `https://${'a'.repeat(10_000)}.test`;
    record(traffic, request('GET', long));
    record(traffic, request('GET', long));
    const batch = onlyBatch(traffic.take());
    expect(batch.refusals).toEqual([expect.objectContaining({ origin: long.slice(0, MAX_RECORDED_LENGTH), count: 2 })]);
    expect(batch.tuples).toHaveLength(1);
  });

  it('turns a window of many tenants into batches of a bounded number of tenants, the rule usage in the first', () => {
    const traffic = new TrafficRecorder({ perTenant: 100, total: 10 * TENANTS_PER_BATCH }, () => '/t/shop'.length, () => 0);
    const tenants = 2 * TENANTS_PER_BATCH + 1;
    for (let i = 0; i < tenants; i++) {
      const req = request('GET', 'https://app.test');
      traffic.record(req, { ...target, tenantId: `t${i}` }, decide(policy, { method: 'GET', origin: 'https://app.test', selfOrigin: 'http://gateway.test' }));
    }
    const batches = [...toBatches(traffic.take())];
    expect(batches.map((batch) => batch.buckets.length)).toEqual([TENANTS_PER_BATCH, TENANTS_PER_BATCH, 1]);
    expect(new Set(batches.flatMap((batch) => batch.buckets.map((row) => row.tenant_id))).size).toBe(tenants);
    expect(batches.map((batch) => batch.usage.length)).toEqual([1, 0, 0]);
    expect(batches[0]!.usage[0]!.count).toBe(tenants);
  });

  it('starts an empty window when one is taken', () => {
    const traffic = recorder();
    record(traffic, request('GET', 'https://app.test'));
    expect(traffic.take().isEmpty).toBe(false);
    expect(traffic.take().isEmpty).toBe(true);
  });
});
