import { compilePolicy } from './compile-policy.js';
import { decide } from './decide.js';
import { corsDecisionHeader } from './decision-header.js';
import { CORS_DISABLED } from './decide.js';
import { DEFAULT_POLICY } from './policy.js';

describe(corsDecisionHeader.name, () => {
  const policy = compilePolicy({
    ...DEFAULT_POLICY,
    origins: [
      { id: 'rule-1', kind: 'exact', value: 'https://app.example.com' },
      { kind: 'wildcard', value: 'https://*.example.org' },
    ],
  });

  it('names an allowed decision’s rule by id only', () => {
    const header = corsDecisionHeader(decide(policy, { method: 'GET', origin: 'https://app.example.com' }));
    expect(header).toBe('allowed; rule=rule-1');
  });

  it('leaves the rule out when it has no id (a path rule’s own origins)', () => {
    expect(corsDecisionHeader(decide(policy, { method: 'GET', origin: 'https://a.example.org' }))).toBe('allowed');
  });

  it('gives the refusal code, and the matched rule when there was one', () => {
    expect(corsDecisionHeader(decide(policy, { method: 'GET', origin: 'https://evil.test' }))).toBe('refused; reason=origin_not_listed');
    expect(corsDecisionHeader(decide(policy, { method: 'DELETE', origin: 'https://app.example.com' }))).toBe(
      'refused; reason=method_not_allowed; rule=rule-1',
    );
    expect(corsDecisionHeader(decide(policy, { method: 'GET', origin: 'https://a b' }))).toBe('refused; reason=malformed_origin');
  });

  it('is absent where a path rule disables CORS', () => {
    expect(corsDecisionHeader(CORS_DISABLED)).toBeUndefined();
  });
});
