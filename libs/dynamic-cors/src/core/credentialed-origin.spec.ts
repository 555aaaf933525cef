import fc from 'fast-check';
import { credentialsConflict } from './credentialed-origin.js';
import { compileLinearPattern } from './linear-pattern.js';
import { registrableDomainOf } from './public-suffix.js';

const regex = (value: string) => ({ kind: 'regex' as const, value });

describe(credentialsConflict.name, () => {
  it.each([
    [{ kind: 'any' as const, value: '*' }, 'origin * cannot be combined with allowCredentials'],
    [{ kind: 'exact' as const, value: 'null' }, 'origin null cannot be combined with allowCredentials'],
    // Issue 19: each passed the two fixed canaries and reflected nearly any origin.
    [regex('^https://[^c].*$'), 'must end in a literal registrable domain'],
    [regex('^https://.*\\.com$'), 'is the public suffix com'],
    [regex('^https://[a-z]+\\.[a-z]+$'), 'must end in a literal registrable domain'],
    [regex('^https://[a-z]+\\.github\\.io$'), 'is the public suffix github.io'],
    [regex('^https://[a-z]+example\\.com$'), 'must end in a literal registrable domain'],
    [regex('^https://[a-z]+-example\\.com$'), 'must end in a literal registrable domain'],
    [regex('^https://[a-z.]+\\.example\\.(?:com|net)$'), 'must end in a literal registrable domain'],
    [regex('^https://[a-z]+\\.example\\.com[0-9]*$'), 'must end in a literal registrable domain'],
    [regex('^https://[a-z]+\\.localhost$'), 'must end in a literal registrable domain'],
  ])('refuses %j: %s', (rule, reason) => {
    expect(credentialsConflict(rule)).toContain(reason);
  });

  it.each([
    '^https://[a-z0-9-]+\\.example\\.com$',
    '^https://(?:app|admin)\\.example\\.co\\.uk(?::[0-9]+)?$',
    '^https://(?:[a-z]+\\.)?example\\.com$',
    '^https://([a-z0-9-]+\\.)*example\\.com$',
    '^https://pr-\\d+\\.preview\\.example\\.com:8443$',
    '^https://[a-z]+\\.alice\\.github\\.io$',
    '^https?://app\\.example\\.com$',
    '^http://localhost:[0-9]+$',
  ])('accepts %s: confined to one registrable domain', (value) => {
    expect(credentialsConflict(regex(value))).toBeUndefined();
  });

  it.each([
    { kind: 'exact' as const, value: 'https://app.example.com' },
    { kind: 'wildcard' as const, value: 'https://*.example.com' },
  ])('accepts %j', (rule) => {
    expect(credentialsConflict(rule)).toBeUndefined();
  });

  describe('properties', () => {
    const domain = fc.constantFrom('example.com', 'example.co.uk', 'alice.github.io', 'corp.example');
    const piece = fc.constantFrom('[a-z]+', '[a-z0-9-]*', '.*', '[^.]+', '(?:dev|prod)', '\\w+', '[a-z.]+', 'x', '');
    const separator = fc.constantFrom('\\.', '-', '', '(?:\\.|-)');
    /** What may follow the domain: as written, and as the literal text it matches (if one). */
    const tail = fc.constantFrom<[string, string | undefined]>(['', ''], ['\\.com', '.com'], ['x', 'x'], ['[a-z]*', undefined]);
    const port = fc.constantFrom('', '(?::[0-9]+)?', ':8443', '[0-9]*');
    /** A pattern and the registrable domain it is written around. */
    const pattern = fc
      .tuple(fc.array(fc.tuple(piece, separator), { maxLength: 3 }), domain, tail, port)
      .map(([parts, d, [extra, literal], p]): [string, string | undefined] => [
        `^https?://${parts.map(([x, s]) => x + s).join('')}${d.replaceAll('.', '\\.')}${extra}${p}$`,
        literal === undefined ? undefined : registrableDomainOf(d + literal),
      ]);
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/);
    const host = fc.oneof(
      fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')),
      fc
        .tuple(fc.array(label, { maxLength: 2 }), domain, fc.constantFrom('', '.com', '.evil.net', 'x'))
        .map(([labels, d, extra]) => [...labels, d].join('.') + extra),
    );
    const origin = fc
      .tuple(fc.constantFrom('https', 'http'), host, fc.constantFrom('', ':8443', ':1'))
      .map(([s, h, p]) => `${s}://${h}${p}`);

    it('a pattern it accepts never matches an origin outside its registrable domain', () => {
      let accepted = 0;
      let matched = 0;
      fc.assert(
        fc.property(pattern, fc.array(origin, { minLength: 20, maxLength: 30 }), ([source, domainOfTail], origins) => {
          if (credentialsConflict(regex(source)) !== undefined) return;
          accepted++;
          // Accepted only when its tail is a literal domain.
          expect([source, domainOfTail]).not.toContainEqual(undefined);
          const compiled = compileLinearPattern(source);
          if (!compiled.ok) throw new Error(compiled.reason);
          for (const candidate of origins) {
            if (!compiled.pattern.test(candidate)) continue;
            matched++;
            const candidateDomain = registrableDomainOf(new URL(candidate).hostname);
            expect([source, candidate, candidateDomain]).toEqual([source, candidate, domainOfTail]);
          }
        }),
        // Enough runs that some random origin matches an accepted pattern (the check below that
        // the property was not vacuous): at 120 runs, a run of CI once saw none.
        { numRuns: 400 },
      );
      expect(accepted).toBeGreaterThan(10);
      expect(matched).toBeGreaterThan(0);
    });
  });
});
