import fc from 'fast-check';
import { policy, request, rule, tokenList } from '../../../../test/arbitraries/cors.arbitraries.js';
import { compilePolicy } from './compile-policy.js';
import { decide } from './decide.js';
import { matchesPath, parsePathPattern } from './path-pattern.js';
import { matchPathRule } from './path-rules.js';
import { DEFAULT_POLICY, type PathRule } from './policy.js';

const segment = fc.stringMatching(/^[a-z0-9][a-z0-9._~-]{0,8}$/).filter((s) => s !== '.' && s !== '..');
const plainPath = fc.array(segment, { maxLength: 5 }).map((segments) => `/${segments.join('/')}`);
const pathPattern = fc
  .tuple(fc.array(fc.oneof(segment, fc.constant('*')), { maxLength: 4 }), fc.boolean())
  .map(([segments, rest]) => `/${[...segments, ...(rest ? ['**'] : [])].join('/')}`);
const pathRule: fc.Arbitrary<PathRule> = fc.record(
  {
    path: pathPattern,
    origins: fc.array(rule, { maxLength: 3 }),
    allowedMethods: tokenList,
    allowedHeaders: tokenList,
    exposedHeaders: tokenList,
    allowCredentials: fc.boolean(),
    maxAge: fc.integer({ min: 0, max: 86_400 }),
    disabled: fc.boolean(),
  },
  { requiredKeys: ['path'] },
);

/** Spellings of the same path a client may send: encoded, with dot segments, `//`, `\`. */
function respell(path: string, noise: readonly number[]): string {
  const segments = path.split('/').slice(1);
  let out = '';
  segments.forEach((seg, index) => {
    const kind = noise[index % noise.length] ?? 0;
    const encoded = [...seg].map((c, i) => (kind & 1 && i % 2 === 0 ? `%${c.charCodeAt(0).toString(16)}` : c)).join('');
    const separator = kind & 2 ? '//' : kind & 4 ? '\\' : '/';
    const detour = kind & 8 ? `/decoy/%2e%2E${separator}` : kind & 16 ? '/./' : separator;
    out += `${detour}${encoded}`;
  });
  const tail = noise.length > 0 && (noise[0]! & 32) !== 0 ? '/' : '';
  return `${out === '' ? '/' : out}${tail}?q=/../x`;
}

describe('path rules', () => {
  describe('properties', () => {
    it('never change what another tenant’s policy decides', () => {
      fc.assert(
        fc.property(
          policy,
          policy,
          fc.array(pathRule, { maxLength: 5 }),
          fc.array(request, { minLength: 1, maxLength: 5 }),
          (other, own, rules, requests) => {
            const before = compilePolicy(other);
            const expected = requests.map((r) => decide(before, r));
            // Compiling a policy with path rules interns shapes that other policies share.
            compilePolicy({ ...own, pathRules: rules });
            const after = compilePolicy(other);
            expect(after.pathRules).toBeUndefined();
            expect(requests.map((r) => decide(after, r))).toEqual(expected);
          },
        ),
        { numRuns: 200 },
      );
    });

    it('pick the first rule whose pattern matches, however many rules share a first segment’s length or letter', () => {
      // Few letters, short segments: patterns and paths often agree on a first segment's length
      // or first character without matching, which the quick refusal must tell apart.
      const near = fc.stringMatching(/^[ab]{1,3}$/);
      const nearPattern = fc
        .tuple(fc.array(fc.oneof(near, fc.constant('*')), { maxLength: 3 }), fc.boolean())
        .map(([segments, rest]) => `/${[...segments, ...(rest ? ['**'] : [])].join('/')}`);
      const nearPath = fc.array(near, { maxLength: 4 }).map((segments) => `/${segments.join('/')}`);
      fc.assert(
        fc.property(fc.array(nearPattern, { minLength: 1, maxLength: 12 }), nearPath, (paths, path) => {
          const compiled = compilePolicy({ ...DEFAULT_POLICY, pathRules: paths.map((rulePath) => ({ path: rulePath })) });
          const normalised = path === '/' ? '' : path;
          const expected = compiled.pathRules!.find((candidate) => matchesPath(candidate.pattern, normalised, 0, normalised.length));
          expect(matchPathRule(compiled.pathRules!, path, 0)?.index).toBe(expected?.index);
        }),
        { numRuns: 500 },
      );
    });

    it('accept ** only as the last segment', () => {
      fc.assert(
        fc.property(fc.array(fc.oneof(segment, fc.constant('*')), { maxLength: 4 }), fc.nat(5), (segments, at) => {
          const position = Math.min(at, segments.length);
          const withRest = [...segments.slice(0, position), '**', ...segments.slice(position)];
          const parsed = parsePathPattern(`/${withRest.join('/')}`);
          expect(parsed.ok).toBe(position === segments.length);
        }),
      );
    });

    it('meet the same rule whatever spelling of the path is sent', () => {
      fc.assert(
        fc.property(
          fc.array(pathRule, { minLength: 1, maxLength: 6 }),
          plainPath,
          fc.array(fc.nat(63), { minLength: 1, maxLength: 4 }),
          (rules, path, noise) => {
            const compiled = compilePolicy({ ...policyWithoutRules, pathRules: rules }).pathRules ?? [];
            const spelled = respell(path, noise);
            expect(matchPathRule(compiled, spelled, 0)?.index).toBe(matchPathRule(compiled, path, 0)?.index);
            // Under a prefix, as the gateway matches `/t/<slug>/…`.
            expect(matchPathRule(compiled, `/t/acme${spelled}`, 7)?.index).toBe(
              matchPathRule(compiled, path, 0)?.index,
            );
          },
        ),
      );
    });

    it('never let a path outside a rule’s prefix reach it through dot segments', () => {
      fc.assert(
        fc.property(plainPath, plainPath, (outside, inside) => {
          const compiled = compilePolicy({
            ...policyWithoutRules,
            pathRules: [{ path: '/admin/**', disabled: true }],
          }).pathRules!;
          const escaped = `/admin/..${outside.startsWith('/admin') ? '/x' : outside}`;
          expect(matchPathRule(compiled, escaped, 0)).toBeUndefined();
          expect(matchPathRule(compiled, `/public/%2e%2e/admin${inside === '/' ? '' : inside}`, 0)?.index).toBe(0);
        }),
      );
    });
  });
});

const policyWithoutRules = {
  origins: [],
  allowedMethods: ['GET'],
  allowedHeaders: [],
  exposedHeaders: [],
  allowCredentials: false,
  maxAge: 600,
  allowPrivateNetwork: false,
  mode: 'enforce' as const,
};
