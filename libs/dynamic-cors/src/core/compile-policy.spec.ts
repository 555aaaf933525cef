import { compilePolicy } from './compile-policy.js';
import { DEFAULT_POLICY, type CorsPolicy } from './policy.js';

const policy = (overrides: Partial<CorsPolicy>): CorsPolicy => ({
  ...DEFAULT_POLICY,
  ...overrides,
});

describe(compilePolicy.name, () => {
  describe('origins', () => {
    it('indexes exact origins with their precomputed actual-request headers', () => {
      const compiled = compilePolicy(
        policy({
          origins: [{ id: 'r1', kind: 'exact', value: 'https://app.example.com' }],
          allowCredentials: true,
          exposedHeaders: ['X-Request-Id'],
        }),
      );
      expect(compiled.exactOrigins.get('https://app.example.com')).toMatchObject({
        rule: { id: 'r1' },
        actualHeaders: [
          ['access-control-allow-origin', 'https://app.example.com'],
          ['access-control-allow-credentials', 'true'],
          ['access-control-expose-headers', 'X-Request-Id'],
        ],
        allowedReasons: ['origin https://app.example.com matched rule https://app.example.com'],
      });
    });

    it('splits a wildcard into scheme prefix and suffix with the port', () => {
      const compiled = compilePolicy(
        policy({ origins: [{ kind: 'wildcard', value: 'https://*.example.com:8443' }] }),
      );
      expect(compiled.wildcards[0]).toMatchObject({
        prefix: 'https://',
        suffix: '.example.com:8443',
      });
    });

    it('compiles a regex once, anchored even if the stored source is not', () => {
      const compiled = compilePolicy(
        policy({ origins: [{ kind: 'regex', value: 'https://a\\.com' }] }),
      );
      expect(compiled.patterns[0]!.pattern.test('https://a.com')).toBe(true);
      expect(compiled.patterns[0]!.pattern.test('https://a.com.evil.com')).toBe(false);
    });

    it('matches a stored backtracking pattern that skipped validation in linear time (issue 19)', () => {
      const compiled = compilePolicy(
        policy({ origins: [{ kind: 'regex', value: '^https://(?:[(?<a>]|a)+\\.x$' }] }),
      );
      const started = performance.now();

      expect(compiled.findPattern(`https://${'a'.repeat(63)}`)).toBeUndefined();
      expect(performance.now() - started).toBeLessThan(1000);
      expect(compiled.findPattern('https://aa.x')?.rule.value).toBe('^https://(?:[(?<a>]|a)+\\.x$');
    });

    it('finds the first matching regex rule, the same for repeated and many distinct origins', () => {
      const compiled = compilePolicy(
        policy({
          origins: [
            { kind: 'regex', value: '^https://a[0-9]+\\.example\\.com$' },
            { kind: 'regex', value: '^https://[a-z0-9]+\\.example\\.com$' },
          ],
        }),
      );
      const origins = Array.from({ length: 50 }, (_, i) => `https://${i % 3 === 0 ? 'a' : 'b'}${i}.example.com`);

      for (const round of [1, 2]) {
        const found = origins.map((origin) => compiled.findPattern(origin)?.rule.value);
        expect([round, found]).toEqual([
          round,
          origins.map((_, i) =>
            i % 3 === 0 ? '^https://a[0-9]+\\.example\\.com$' : '^https://[a-z0-9]+\\.example\\.com$',
          ),
        ]);
      }
      expect(compiled.findPattern('https://evil.com')).toBeUndefined();
    });

    it('leaves out unusable stored rules with a warning instead of throwing', () => {
      const compiled = compilePolicy(
        policy({
          origins: [
            { kind: 'exact', value: 'https://a.com/path' },
            { kind: 'wildcard', value: 'https://a.*.com' },
            { kind: 'regex', value: '^([a-z$' },
          ],
        }),
      );
      expect(
        compiled.exactOrigins.size + compiled.wildcards.length + compiled.patterns.length,
      ).toBe(0);
      expect(compiled.warnings).toHaveLength(3);
    });

    it('drops origin * when credentials are allowed', () => {
      const compiled = compilePolicy(
        policy({ origins: [{ kind: 'any', value: '*' }], allowCredentials: true }),
      );
      expect(compiled.anyOrigin).toBeUndefined();
      expect(compiled.warnings).toEqual([
        'origin * ignored: it cannot be combined with allowCredentials',
      ]);
    });
  });

  describe('header values', () => {
    it('precomputes the default values', () => {
      const compiled = compilePolicy(DEFAULT_POLICY);
      expect(compiled).toMatchObject({
        allowMethodsValue: 'GET, HEAD, POST',
        allowHeadersValue: 'Content-Type',
        exposeHeadersValue: '',
        maxAgeValue: '600',
        actualTailHeaders: [],
        mode: 'enforce',
      });
      expect([...compiled.allowedHeaders]).toEqual(['content-type']);
    });

    it('normalises and de-duplicates methods, keeping other methods case-sensitive', () => {
      const compiled = compilePolicy(
        policy({ allowedMethods: ['get', 'GET', 'patch', 'Delete', 'M-SEARCH'] }),
      );
      expect(compiled.allowMethodsValue).toBe('GET, patch, DELETE, M-SEARCH');
    });

    it('de-duplicates headers case-insensitively', () => {
      const compiled = compilePolicy(
        policy({ allowedHeaders: ['X-Foo', 'x-foo', 'Content-Type'] }),
      );
      expect(compiled.allowHeadersValue).toBe('X-Foo, Content-Type');
    });

    it('uses * for methods and headers only without credentials', () => {
      const open = compilePolicy(
        policy({ allowedMethods: ['*', 'PUT'], allowedHeaders: ['*', 'X-Foo'] }),
      );
      expect(open).toMatchObject({
        allowMethodsValue: '*',
        allowHeadersValue: '*, X-Foo',
        anyMethod: true,
        anyHeader: true,
      });
      const withCredentials = compilePolicy(
        policy({
          allowedMethods: ['*', 'PUT'],
          allowedHeaders: ['*', 'X-Foo'],
          allowCredentials: true,
        }),
      );
      expect(withCredentials).toMatchObject({
        allowMethodsValue: 'PUT',
        allowHeadersValue: 'X-Foo',
        anyMethod: true,
        anyHeader: true,
      });
    });

    it('never exposes * with credentials', () => {
      const compiled = compilePolicy(
        policy({ exposedHeaders: ['*', 'X-A'], allowCredentials: true }),
      );
      expect(compiled.exposeHeadersValue).toBe('X-A');
    });

    it('clamps an out-of-range maxAge', () => {
      expect(compilePolicy(policy({ maxAge: 10 ** 9 })).maxAgeValue).toBe('86400');
    });

    it('falls back to enforce for an unknown mode', () => {
      expect(compilePolicy(policy({ mode: 'nope' as 'enforce' })).mode).toBe('enforce');
    });
  });
});
