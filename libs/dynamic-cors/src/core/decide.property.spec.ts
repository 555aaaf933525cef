import fc from 'fast-check';
import { compilePolicy } from './compile-policy.js';
import { decide, type CorsRequest } from './decide.js';
import { parseRequestOrigin } from './origin.js';
import {
  policy,
  request,
  requestOrigin,
  rule,
} from '../../../../test/arbitraries/cors.arbitraries.js';
import { DEFAULT_POLICY, type OriginRule } from './policy.js';

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
