import { parseOriginRule } from './origin-rule.js';
import { validateOriginPattern } from './origin-pattern.js';

describe(parseOriginRule.name, () => {
  describe('any', () => {
    it.each(['*', ' * '])('parses %j as any', (origin) => {
      expect(parseOriginRule({ origin })).toEqual({ ok: true, rule: { kind: 'any', value: '*' } });
    });
  });

  describe('exact', () => {
    it.each([
      ['https://App.Example.com/', 'https://app.example.com'],
      ['https://bücher.de:443', 'https://xn--bcher-kva.de'],
      ['http://localhost:3000', 'http://localhost:3000'],
      ['null', 'null'],
    ])('normalises %j to %s', (origin, value) => {
      expect(parseOriginRule({ origin })).toEqual({ ok: true, rule: { kind: 'exact', value } });
    });

    it('refuses an origin with a path', () => {
      expect(parseOriginRule({ origin: 'https://app.example.com/api' })).toEqual({
        ok: false,
        field: 'origin',
        reason: 'origin must not contain a path: https://app.example.com/api',
      });
    });

    it('refuses a non-string origin', () => {
      expect(parseOriginRule({ origin: 42 as unknown as string })).toMatchObject({
        ok: false,
        field: 'origin',
      });
    });
  });

  describe('wildcard', () => {
    it.each([
      ['https://*.example.com', 'https://*.example.com'],
      ['HTTPS://*.Example.COM/', 'https://*.example.com'],
      ['https://*.example.com:443', 'https://*.example.com'],
      ['https://*.example.com:8443', 'https://*.example.com:8443'],
      ['http://*.example.co.uk', 'http://*.example.co.uk'],
      ['https://*.bücher.de', 'https://*.xn--bcher-kva.de'],
      ['https://*.example.com.', 'https://*.example.com'],
      ['https://*.alice.github.io', 'https://*.alice.github.io'],
      ['https://*.corp.internal', 'https://*.corp.internal'],
    ])('normalises %j to %s', (origin, value) => {
      expect(parseOriginRule({ origin })).toEqual({ ok: true, rule: { kind: 'wildcard', value } });
    });

    it.each([
      ['https://*.com', 'wildcard covers the public suffix com:'],
      ['https://*.localhost', 'wildcard must be followed by at least two labels'],
      ['https://*', 'wildcard must be the whole leftmost label'],
      ['https://*.', 'origin must have a host'],
      ['https://a.*.com', 'wildcard must be the whole leftmost label'],
      ['https://*example.com', 'wildcard must be the whole leftmost label'],
      ['https://app-*.example.com', 'wildcard must be the whole leftmost label'],
      ['https://example.*', 'wildcard must be the whole leftmost label'],
      ['*.example.com', 'wildcard origin must include the scheme'],
      ['*://example.com', 'wildcard origin must include the scheme'],
      ['https://*.*.example.com', 'origin may contain only one wildcard'],
      ['https://*.example.com/*', 'origin may contain only one wildcard'],
      ['https://*.example.com/path', 'origin must not contain a path'],
      ['ftp://*.example.com', 'origin scheme must be http or https'],
      ['https://*.1.2.3', 'wildcard cannot be used with an IP address'],
      ['https://*.[::1]', 'wildcard cannot be used with an IP address'],
      ['https://*.exa_mple.com', 'origin host is not a valid host name'],
      ['https://*..example.com', 'origin host is not a valid host name'],
      ['https://user@*.example.com', 'wildcard must be the whole leftmost label'],
      // Public suffixes, by the Public Suffix List, its private section included.
      ['https://*.co.uk', 'wildcard covers the public suffix co.uk:'],
      ['https://*.github.io', 'wildcard covers the public suffix github.io:'],
      ['http://*.blogspot.com', 'wildcard covers the public suffix blogspot.com:'],
      ['https://*.Co.UK', 'wildcard covers the public suffix co.uk:'],
    ])('refuses %j', (origin, reason) => {
      const result = parseOriginRule({ origin });
      expect(result).toMatchObject({ ok: false, field: 'origin' });
      expect(!result.ok && result.reason).toContain(reason);
    });
  });

  describe('regex', () => {
    it('accepts an anchored, safe, lower-case pattern', () => {
      const pattern = '^https://[a-z0-9-]+\\.example\\.com$';
      expect(parseOriginRule({ pattern, type: 'regex' })).toEqual({
        ok: true,
        rule: { kind: 'regex', value: pattern },
      });
    });

    it.each([
      '^https://(app|admin)\\.example\\.com(:[0-9]+)?$',
      '^https://([a-z0-9-]+\\.)*example\\.com$',
      '^https://(?<env>dev|staging)\\.example\\.com$',
      '^https://pr-\\d+\\.preview\\.example\\.com$',
      '^https://[a-z]+\\.example\\.com\\$$',
    ])('accepts %s', (pattern) => {
      expect(parseOriginRule({ pattern, type: 'regex' })).toMatchObject({ ok: true });
    });

    it.each([
      ['', 'pattern must not be empty'],
      [`^${'a'.repeat(256)}$`, 'pattern must be at most 256 characters'],
      ['https://app\\.example\\.com$', 'pattern must be anchored'],
      ['^https://app\\.example\\.com', 'pattern must be anchored'],
      ['^https://app\\.example\\.com\\$', 'pattern must be anchored'],
      ['^https://a\\.com$|^https://b\\.com$', 'pattern must not have a top-level alternation'],
      ['^https://a\\.com|evil\\.com$', 'pattern must not have a top-level alternation'],
      ['^(https)://\\1\\.com$', 'pattern must not use backreferences'],
      ['^(?<s>https)://\\k<s>\\.com$', 'pattern must not use backreferences'],
      ['^https://(?=a)[a-z]+\\.com$', 'pattern must not use lookahead or lookbehind'],
      ['^https://(?!evil)[a-z]+\\.com$', 'pattern must not use lookahead or lookbehind'],
      ['^https://[a-z]+(?<=a)\\.com$', 'pattern must not use lookahead or lookbehind'],
      ['^https://[a-z]+(?<!b)\\.com$', 'pattern must not use lookahead or lookbehind'],
      ['^https://App\\.example\\.com$', 'pattern must be lower-case'],
      ['^https://[a-z+\\.com$', 'pattern is not a valid regular expression'],
      ['^https://a{2,1}\\.com$', 'pattern is not a valid regular expression'],
      ['^.*$', 'pattern matches unrelated origins such as https://corsmesh-canary.invalid'],
      ['^https?://.+$', 'pattern matches unrelated origins'],
      ['^(a+)+$', 'pattern may backtrack catastrophically'],
      ['^(https?://)?([a-z]+)*\\.example\\.com$', 'pattern may backtrack catastrophically'],
      ['^(a|a)*$', 'pattern may backtrack catastrophically'],
      // Issue 19: group syntax inside a class is no group; the analysis must see the class.
      ['^https://(?:[(?<a>]|a)+\\.x$', 'pattern may backtrack catastrophically'],
      ['^https://(?:[(?<x>]|x)+\\.example\\.com$', 'pattern may backtrack catastrophically'],
      ['^https://(?:[\\](?<a>]|a)+\\.x$', 'pattern may backtrack catastrophically'],
      ['^https://[a-z]+\\.co\\.uk$', 'pattern covers the public suffix co.uk:'],
      ['^https://.*\\.com$', 'pattern covers the public suffix com:'],
      ['^https://b\\u00fccher\\.example$', 'pattern must be ASCII'],
      ['^https://a{1001}\\.example\\.com$', 'pattern repetition counts must be at most 1000'],
      ['^https://\\x41pp\\.example\\.com$', 'pattern must be lower-case'],
      ['^https://([a-z]+)+\\.example\\.com$', 'pattern may backtrack catastrophically'],
    ])('refuses %j', (pattern, reason) => {
      const result = parseOriginRule({ pattern, type: 'regex' });
      expect(result).toMatchObject({ ok: false, field: 'pattern' });
      expect(!result.ok && result.reason).toContain(reason);
    });

    it('refuses a pattern of another type', () => {
      expect(parseOriginRule({ pattern: '^x$', type: 'glob' as 'regex' })).toEqual({
        ok: false,
        field: 'pattern',
        reason: 'pattern type must be "regex"',
      });
    });

    // The analysis gives up after 1 s of its own; the bound only has to tell "stops" from
    // "runs for minutes", on a machine that may be busy with other work (CI, parallel suites).
    const BOUNDED_MS = 20_000;

    it('refuses a catastrophic pattern within a bounded time', () => {
      const started = performance.now();
      const result = validateOriginPattern('^(([a-z])+.)+[a-z]{2,}(a|a|a|a)*$');
      expect(result.ok).toBe(false);
      expect(performance.now() - started).toBeLessThan(BOUNDED_MS);
    });

    it('refuses a pattern that backtracks on the canary origins within a bounded time', () => {
      const started = performance.now();
      const result = validateOriginPattern('^https?://(?:(?:[a-z]|[a-z-])+)+x$');
      expect(result).toEqual({ ok: false, reason: 'pattern may backtrack catastrophically' });
      // The analysis stops at 1 s; the canaries run on the linear-time engine.
      expect(performance.now() - started).toBeLessThan(BOUNDED_MS);
    });

    it('refuses modifiers, which change what a group matches (refused by older engines anyway)', () => {
      expect(validateOriginPattern('^https://(?i:app)\\.example\\.com$').ok).toBe(false);
    });
  });
});
