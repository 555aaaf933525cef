import { matchesPath, parsePathPattern, type PathPattern } from './path-pattern.js';
import { normalisedPathEnd, normaliseRequestPath } from './request-path.js';

function pattern(input: string): PathPattern {
  const parsed = parsePathPattern(input);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.pattern;
}

/** Matches as path rules do: in place when the path is normalised, on a copy otherwise. */
function matches(input: string, path: string): boolean {
  const end = normalisedPathEnd(path, 0);
  if (end !== -1) return matchesPath(pattern(input), path, 0, end);
  const normalised = normaliseRequestPath(path, 0);
  return matchesPath(pattern(input), normalised, 0, normalised.length);
}

describe(parsePathPattern.name, () => {
  it.each([
    ['/users', '/users'],
    ['/users/', '/users'],
    ['/', '/'],
    ['/public/**', '/public/**'],
    ['/**', '/**'],
    ['/v1/*/files', '/v1/*/files'],
    ['/%7Euser/%2f', '/~user/%2F'],
  ])('normalises %s to %s', (input, path) => {
    expect(pattern(input).path).toBe(path);
  });

  it.each([
    ['users', 'must start with /'],
    ['/a/**/b', '** is allowed only as the last segment'],
    ['/a/**/**', '** is allowed only as the last segment'],
    ['/a*', '* must be a whole segment (/v1/*/files)'],
    ['/a/***', '* must be a whole segment (/v1/*/files)'],
    ['/a//b', 'must not contain an empty segment (//)'],
    ['/a/../b', 'must not contain . or .. segments'],
    ['/a/%2e%2E', 'must not contain . or .. segments'],
    ['/a?b=1', 'must not contain a query or fragment (? or #)'],
    ['/a b', 'contains a character a path cannot hold unencoded (percent-encode it)'],
    ['/a\\b', 'contains a character a path cannot hold unencoded (percent-encode it)'],
    ['/100%', 'contains a % that is not a %XX escape'],
    [`/${'a'.repeat(1100)}`, 'must be at most 1024 characters'],
  ])('refuses %j: %s', (input, reason) => {
    expect(parsePathPattern(input)).toEqual({ ok: false, reason });
  });

  it('refuses a pattern that is not a string', () => {
    expect(parsePathPattern(5)).toEqual({
      ok: false,
      reason: 'must be a string',
    });
  });
});

describe(matchesPath.name, () => {
  it.each([
    ['/users', '/users', true],
    ['/users', '/users/', true],
    ['/users', '/users?page=2', true],
    ['/users', '/users/1', false],
    ['/users', '/Users', false],
    ['/users', '/user', false],
    ['/users', '/usersx', false],
    ['/', '/', true],
    ['/', '', true],
    ['/', '/a', false],
    ['/public/**', '/public', true],
    ['/public/**', '/public/', true],
    ['/public/**', '/public/a/b/c', true],
    ['/public/**', '/publicity', false],
    ['/public/**', '/', false],
    ['/**', '/', true],
    ['/**', '/anything/at/all', true],
    ['/v1/*/files', '/v1/42/files', true],
    ['/v1/*/files', '/v1/files', false],
    ['/v1/*/files', '/v1/42/43/files', false],
    ['/v1/*/files', '/v1//files', false],
    ['/v1/*', '/v1/42', true],
    ['/v1/*', '/v1', false],
    ['/v1/*/**', '/v1/42', true],
  ])('%s against %s: %s', (input, path, expected) => {
    expect(matches(input, path)).toBe(expected);
  });

  it.each([
    ['/public/**', '/public/../admin', false],
    ['/admin/**', '/public/../admin', true],
    ['/admin/**', '/public/%2e%2E/admin', true],
    ['/admin/**', '/public/.%2e/admin/x', true],
    ['/admin/**', '//admin', true],
    ['/admin/**', '/./admin', true],
    ['/admin/**', '/../../admin', true],
    ['/admin/**', '/public\\..\\admin', true],
    ['/admin/**', '/%61dmin', true],
    ['/public/**', '/public%2F..%2Fadmin', false],
    ['/a%2Fb', '/a%2fb', true],
    ['/a%2Fb', '/a/b', false],
  ])('normalises before matching: %s against %s: %s', (input, path, expected) => {
    expect(matches(input, path)).toBe(expected);
  });
});

describe(normalisedPathEnd.name, () => {
  it.each([
    ['/t/acme', 7, 7],
    ['/t/acme?x=1', 7, 7],
    ['/t/acme/', 7, 7],
    ['/t/acme/a/b?x=/../', 7, 11],
    ['/t/acme/a/b/', 7, 11],
    ['/t/acme//a', 7, -1],
    ['/t/acme/a/./b', 7, -1],
    ['/t/acme/a/..', 7, -1],
    ['/t/acme/a%20b', 7, -1],
    ['/t/acme/a\\b', 7, -1],
    ['/t/acme/a..b/.c', 7, 15],
  ])('%s from %i ends at %i', (url, from, end) => {
    expect(normalisedPathEnd(url, from)).toBe(end);
  });
});
