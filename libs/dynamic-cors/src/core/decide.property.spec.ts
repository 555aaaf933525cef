import fc from 'fast-check';
import { compilePolicy } from './compile-policy.js';
import { decide, type CorsRequest } from './decide.js';
import { parseRequestOrigin } from './origin.js';
import { DEFAULT_POLICY, type CorsPolicy, type OriginRule } from './policy.js';

// Labels chosen to collide with the rules' hosts: the interesting origins are the near misses.
const label = fc.oneof(
  fc.constantFrom(
    'example',
    'com',
    'evilexample',
    'example-com',
    'a',
    'www',
    'trusted',
    'xn--bcher-kva',
    'EXAMPLE',
  ),
  fc.stringMatching(/^[a-z0-9]{1,6}$/),
);
const host = fc.array(label, { minLength: 1, maxLength: 5 }).map((labels) => labels.join('.'));
const scheme = fc.constantFrom('http', 'https', 'HTTPS');
const port = fc.option(fc.constantFrom('80', '443', '8443', '3000'), { nil: undefined });
const wellFormedOrigin = fc
  .tuple(scheme, host, port, fc.constantFrom('', '', '', '.', '/', '#@example.com', '%2e', ','))
  .map(([s, h, p, tail]) => `${s}://${h}${p === undefined ? '' : `:${p}`}${tail}`);
const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary-ascii', maxLength: 5000 }),
);
const requestOrigin = fc.oneof(wellFormedOrigin, hostileString, fc.constant('null'));

const rule = fc.oneof(
  fc.tuple(scheme, host, port).map(([s, h, p]): OriginRule => {
    const origin = parseRequestOrigin(`${s}://${h}${p === undefined ? '' : `:${p}`}`);
    return { kind: 'exact', value: origin ?? 'null' };
  }),
  fc.constantFrom<OriginRule>(
    { kind: 'wildcard', value: 'https://*.example.com' },
    { kind: 'wildcard', value: 'http://*.a.com:3000' },
    { kind: 'regex', value: '^https://[a-z]+\\.trusted\\.com$' },
    { kind: 'exact', value: 'null' },
    { kind: 'any', value: '*' },
  ),
);
const tokenList = fc.array(
  fc.constantFrom('*', 'GET', 'put', 'PATCH', 'X-Foo', 'Authorization', 'Content-Type', 'x-a'),
  { maxLength: 5 },
);
const policy = fc.record({
  origins: fc.array(rule, { maxLength: 5 }),
  allowedMethods: tokenList,
  allowedHeaders: tokenList,
  exposedHeaders: tokenList,
  allowCredentials: fc.boolean(),
  maxAge: fc.integer({ min: 0, max: 86_400 }),
  allowPrivateNetwork: fc.boolean(),
  mode: fc.constantFrom('enforce' as const, 'report-only' as const),
}) satisfies fc.Arbitrary<CorsPolicy>;
const request = fc.record(
  {
    method: fc.oneof(fc.constantFrom('GET', 'POST', 'OPTIONS', 'PUT', 'options'), hostileString),
    origin: fc.option(requestOrigin, { nil: undefined }),
    selfOrigin: fc.option(fc.oneof(wellFormedOrigin, hostileString), { nil: undefined }),
    accessControlRequestMethod: fc.option(
      fc.oneof(fc.constantFrom('GET', 'put', 'PATCH', 'DELETE', '*', 'TRACE'), hostileString),
      { nil: undefined },
    ),
    accessControlRequestHeaders: fc.option(
      fc.oneof(
        fc.constantFrom(
          'x-foo',
          'content-type,x-a',
          'authorization',
          '*',
          ' X-Foo , ,Content-Type',
        ),
        hostileString,
      ),
      { nil: undefined },
    ),
    accessControlRequestPrivateNetwork: fc.option(fc.boolean(), { nil: undefined }),
  },
  { requiredKeys: ['method', 'origin'] },
) satisfies fc.Arbitrary<CorsRequest>;

/** An independent model of what the policy allows, for exact and wildcard rules. */
function modelAllows(rules: readonly OriginRule[], header: string): boolean {
  const origin = parseRequestOrigin(header);
  if (origin === null) return false;
  return rules.some((r) => {
    if (r.kind === 'exact') return r.value === origin;
    const [ruleScheme, ruleRest] = r.value.split('://*.') as [string, string];
    const [originScheme, originRest] = origin.split('://') as [string, string];
    return (
      ruleScheme === originScheme &&
      originRest.endsWith(`.${ruleRest}`) &&
      originRest.length > ruleRest.length + 1
    );
  });
}

describe(decide.name, () => {
  describe('properties', () => {
    it('never matches a wildcard for a host that is not a strict subdomain', () => {
      const compiled = compilePolicy({
        ...DEFAULT_POLICY,
        origins: [{ kind: 'wildcard', value: 'https://*.example.com' }],
      });
      fc.assert(
        fc.property(requestOrigin, (origin) => {
          const decision = decide(compiled, { method: 'GET', origin });
          if (!decision.allowed) return;
          const parsed = new URL(origin);
          const hostname = parsed.hostname.replace(/\.$/, '');
          expect(parsed.protocol).toBe('https:');
          expect(parsed.port).toBe('');
          expect(hostname.endsWith('.example.com')).toBe(true);
          expect(hostname.length).toBeGreaterThan('.example.com'.length);
        }),
        { numRuns: 5000 },
      );
    });

    it('never allows an origin that no rule allows', () => {
      const exactOrWildcard = rule.filter((r) => r.kind === 'exact' || r.kind === 'wildcard');
      fc.assert(
        fc.property(
          fc.array(exactOrWildcard, { maxLength: 5 }),
          requestOrigin,
          fc.boolean(),
          (origins, origin, preflight) => {
            const compiled = compilePolicy({ ...DEFAULT_POLICY, origins });
            const req: CorsRequest = preflight
              ? { method: 'OPTIONS', origin, accessControlRequestMethod: 'GET' }
              : { method: 'GET', origin };
            expect(decide(compiled, req).allowed).toBe(modelAllows(origins, origin));
          },
        ),
        { numRuns: 3000 },
      );
    });

    it('never puts an access-control header on a refused decision', () => {
      fc.assert(
        fc.property(policy, request, (p, req) => {
          const decision = decide(compilePolicy(p), req);
          if (!decision.allowed) expect(decision.headers).toEqual([]);
          expect(decision.block).toBe(!decision.allowed && p.mode === 'enforce');
        }),
        { numRuns: 3000 },
      );
    });

    it('never answers * in any header with credentials', () => {
      fc.assert(
        fc.property(policy, request, (p, req) => {
          const decision = decide(compilePolicy({ ...p, allowCredentials: true }), req);
          for (const [, value] of decision.headers) {
            expect(value.split(',').map((item) => item.trim())).not.toContain('*');
          }
        }),
        { numRuns: 3000 },
      );
    });

    it('never throws on arbitrary input and answers quickly', () => {
      let slowest = 0;
      fc.assert(
        fc.property(policy, request, (p, req) => {
          const compiled = compilePolicy(p);
          const started = performance.now();
          const decision = decide(compiled, req);
          slowest = Math.max(slowest, performance.now() - started);
          expect(typeof decision.allowed).toBe('boolean');
          for (const [name, value] of decision.headers) {
            expect(name).toMatch(/^access-control-[a-z-]+$/);
            // Header values must be safe to write: no CR, LF or NUL can come from the request.
            expect(value).not.toMatch(/[\r\n\u0000]/);
          }
        }),
        { numRuns: 3000 },
      );
      expect(slowest).toBeLessThan(50);
    });
  });
});
