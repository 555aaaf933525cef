import fc from 'fast-check';
import { isLdhName, isSlug, normaliseHost, pathAfterSlug, slugFromPath, slugUnderBaseDomain } from './tenant-names.js';

describe(slugFromPath.name, () => {
  it.each([
    ['/t/acme/echo', 'acme'],
    ['/t/acme', 'acme'],
    ['/t/acme?x=1', 'acme'],
    ['/t/acme/echo?x=/y', 'acme'],
    ['/t/ACME/echo', undefined],
    ['/t//echo', undefined],
    ['/t/-bad/echo', undefined],
    ['/tenant/acme', undefined],
    ['/health', undefined],
  ])('reads %s as %s', (url, slug) => {
    expect(slugFromPath(url)).toBe(slug);
  });

  it('reads another prefix when given one', () => {
    expect(slugFromPath('/tenants/acme/users', '/tenants/')).toBe('acme');
    expect(slugFromPath('/t/acme/users', '/tenants/')).toBeUndefined();
  });
});

describe(pathAfterSlug.name, () => {
  it.each([
    ['/t/acme/users?x=1', 7],
    ['/t/acme', 7],
    ['/t/acme?x', 7],
    ['/t/acmeco/users', 0],
    ['/users', 0],
  ])('finds where the tenant path of %s starts', (url, start) => {
    expect(pathAfterSlug(url, 'acme')).toBe(start);
  });
});

describe(slugUnderBaseDomain.name, () => {
  it('reads the slug from <slug>.<base domain>', () => {
    expect(slugUnderBaseDomain('acme.apis.example.com', 'apis.example.com')).toBe('acme');
  });

  it.each([
    ['a deeper subdomain', 'a.acme.apis.example.com'],
    ['a look-alike domain', 'acme.evilapis.example.com'],
    ['the base domain itself', 'apis.example.com'],
  ])('takes no slug from %s', (_name, hostname) => {
    expect(slugUnderBaseDomain(hostname, 'apis.example.com')).toBeUndefined();
  });
});

describe(normaliseHost.name, () => {
  it('lower-cases and drops the port and a trailing dot', () => {
    expect(normaliseHost('API.Acme.com.:8443')).toBe('api.acme.com');
    expect(normaliseHost('[::1]:3000')).toBe('[::1]');
  });
});

describe(isLdhName.name, () => {
  it.each([
    ['an IPv6 literal', '[::1]'],
    ['a name longer than 253 characters', `${'a.'.repeat(126)}com`],
    ['a label longer than 63 characters', `${'a'.repeat(64)}.com`],
    ['an empty label', 'a..com'],
    ['an underscore', 'bad_host.com'],
    ['8 KB of noise', 'x'.repeat(8192)],
  ])('refuses %s', (_name, host) => {
    expect(isLdhName(host)).toBe(false);
  });

  it('accepts a host name', () => {
    expect(isLdhName('api.acme-1.com')).toBe(true);
  });
});

describe(isSlug.name, () => {
  // The definition the admin API documents, as a regex: the loop must agree with it everywhere.
  const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
  const labelish = fc.stringMatching(/^[a-zA-Z0-9_.-]{0,70}$/);

  it('agrees with the lower-case DNS label definition on any string', () => {
    fc.assert(
      fc.property(fc.oneof(labelish, fc.string({ maxLength: 70 })), (value) => {
        expect(isSlug(value)).toBe(LABEL.test(value));
      }),
      { numRuns: 2000 },
    );
  });

  it.each([
    ['one character', 'a', true],
    ['63 characters', 'a'.repeat(63), true],
    ['64 characters', 'a'.repeat(64), false],
    ['inner hyphens', 'acme--eu-1', true],
    ['a leading hyphen', '-acme', false],
    ['a trailing hyphen', 'acme-', false],
    ['a lone hyphen', '-', false],
    ['an upper-case letter', 'Acme', false],
    ['nothing', '', false],
  ])('%s: %s', (_name, value, expected) => {
    expect(isSlug(value)).toBe(expected);
  });
});
