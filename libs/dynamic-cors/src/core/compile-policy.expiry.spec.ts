import { compilePolicy } from './compile-policy.js';
import { decide } from './decide.js';
import { DEFAULT_POLICY, type CorsPolicy } from './policy.js';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW + offsetMs);

const policy = (overrides: Partial<CorsPolicy>): CorsPolicy => ({ ...DEFAULT_POLICY, ...overrides });
const allows = (compiled: ReturnType<typeof compilePolicy>, origin: string) =>
  decide(compiled, { method: 'GET', origin }).allowed;

describe('compilePolicy with expiring origins', () => {
  const expiring = policy({
    origins: [
      { kind: 'exact', value: 'https://pr-1.example.com', expiresAt: at(2_000) },
      { kind: 'wildcard', value: 'https://*.preview.example.com', expiresAt: at(60_000) },
      { kind: 'exact', value: 'https://app.example.com' },
    ],
  });

  it('matches a rule until its expiry and knows the earliest one', () => {
    const compiled = compilePolicy(expiring, NOW);

    expect(allows(compiled, 'https://pr-1.example.com')).toBe(true);
    expect(allows(compiled, 'https://a.preview.example.com')).toBe(true);
    expect(compiled.nextExpiry).toBe(NOW + 2_000);
  });

  it('leaves out a rule from its expiry on, keeping the next expiry', () => {
    const compiled = compilePolicy(expiring, NOW + 2_000);

    expect(allows(compiled, 'https://pr-1.example.com')).toBe(false);
    expect(allows(compiled, 'https://a.preview.example.com')).toBe(true);
    expect(compiled.nextExpiry).toBe(NOW + 60_000);
  });

  it('says the policy has no origins when every rule has expired', () => {
    const compiled = compilePolicy(
      policy({ origins: [{ kind: 'exact', value: 'https://pr-1.example.com', expiresAt: at(-1) }] }),
      NOW,
    );

    expect(decide(compiled, { method: 'GET', origin: 'https://pr-1.example.com' }).reasons).toEqual([
      'policy has no origins',
    ]);
    expect(compiled.nextExpiry).toBe(Infinity);
  });

  it('never expires a policy without expiring rules', () => {
    expect(compilePolicy(policy({ origins: [{ kind: 'any', value: '*' }] }), NOW).nextExpiry).toBe(Infinity);
  });

  it('leaves expired rules out of the path rules that inherit the origins', () => {
    const compiled = compilePolicy(
      policy({ ...expiring, pathRules: [{ path: '/public/**', allowedMethods: ['GET'] }] }),
      NOW + 2_000,
    );

    expect(allows(compiled.pathRules![0]!.policy!, 'https://pr-1.example.com')).toBe(false);
    expect(allows(compiled.pathRules![0]!.policy!, 'https://app.example.com')).toBe(true);
  });
});
