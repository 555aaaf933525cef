import { slugFromPath, tenantAddressOf } from './tenant-address.js';

describe(tenantAddressOf.name, () => {
  it('looks a plain host up as a tenant hostname, then the path slug', () => {
    expect(tenantAddressOf('API.Acme.com:8443', '/t/acme/echo', undefined)).toEqual({
      lookups: [{ hostname: 'api.acme.com' }, { slug: 'acme' }],
      byPath: true,
    });
  });

  it('reads the slug from <slug>.<BASE_DOMAIN>', () => {
    expect(tenantAddressOf('acme.apis.example.com', '/echo', 'apis.example.com')?.lookups).toEqual([{ slug: 'acme' }]);
  });

  it('does not take a deeper subdomain of BASE_DOMAIN for a slug', () => {
    expect(tenantAddressOf('a.acme.apis.example.com', '/echo', 'apis.example.com')?.lookups).toEqual([
      { hostname: 'a.acme.apis.example.com' },
    ]);
  });

  it('does not take a look-alike domain for BASE_DOMAIN', () => {
    expect(tenantAddressOf('acme.evilapis.example.com', '/', 'apis.example.com')?.lookups).toEqual([
      { hostname: 'acme.evilapis.example.com' },
    ]);
  });

  it('drops the port and a trailing dot', () => {
    expect(tenantAddressOf('acme.com.', '/', undefined)?.lookups).toEqual([{ hostname: 'acme.com' }]);
  });

  it.each([
    ['an IPv6 literal', '[::1]:3000'],
    ['a name longer than 253 characters', `${'a.'.repeat(126)}com`],
    ['a label longer than 63 characters', `${'a'.repeat(64)}.com`],
    ['an empty label', 'a..com'],
    ['an underscore', 'bad_host.com'],
    ['8 KB of noise', 'x'.repeat(8192)],
  ])('does not look %s up as a hostname, and still reads the path slug', (_name, host) => {
    expect(tenantAddressOf(host, '/t/acme/echo', undefined)?.lookups).toEqual([{ slug: 'acme' }]);
    expect(tenantAddressOf(host, '/health/live', undefined)).toBeUndefined();
  });

  it('names no tenant without host or path prefix', () => {
    expect(tenantAddressOf(undefined, '/health/live', undefined)).toBeUndefined();
  });
});

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
});
