import fc from 'fast-check';
import { TenantAddressReader } from './tenant-address.js';

function tenantAddressOf(host: string | undefined, url: string, baseDomain: string | undefined) {
  return new TenantAddressReader(baseDomain).read(host, url);
}

describe(TenantAddressReader.name, () => {
  it('looks a plain host up as a tenant hostname, then the path slug', () => {
    expect(tenantAddressOf('API.Acme.com:8443', '/t/acme/echo', undefined)).toEqual({
      lookups: [{ hostname: 'api.acme.com' }, 'acme'],
      byPath: true,
    });
  });

  it('reads the slug from <slug>.<BASE_DOMAIN>', () => {
    expect(tenantAddressOf('acme.apis.example.com', '/echo', 'apis.example.com')?.lookups).toEqual(['acme']);
  });

  it('looks a deeper subdomain of BASE_DOMAIN up as a hostname', () => {
    expect(tenantAddressOf('a.acme.apis.example.com', '/echo', 'apis.example.com')?.lookups).toEqual([{ hostname: 'a.acme.apis.example.com' }]);
  });

  it('drops the port and a trailing dot', () => {
    expect(tenantAddressOf('acme.com.', '/', undefined)?.lookups).toEqual([{ hostname: 'acme.com' }]);
  });

  it.each([
    ['an IPv6 literal', '[::1]:3000'],
    ['8 KB of noise', 'x'.repeat(8192)],
  ])('does not look %s up as a hostname, and still reads the path slug', (_name, host) => {
    expect(tenantAddressOf(host, '/t/acme/echo', undefined)?.lookups).toEqual(['acme']);
    expect(tenantAddressOf(host, '/health/live', undefined)).toBeUndefined();
  });

  it('reads each request alike whatever Host and path it read before', () => {
    const hosts = fc.constantFrom(undefined, '', 'acme.apis.example.com', 'ACME.apis.example.com:80', 'api.acme.com', '[::1]', 'x'.repeat(300));
    const urls = fc.constantFrom('/t/acme/echo', '/t/acme', '/t/acme?x=/y', '/t/acmex/echo', '/t/beta?x=1', '/t/Acme/echo', '/echo', '/t/');
    fc.assert(
      fc.property(fc.array(fc.tuple(hosts, urls), { maxLength: 20 }), (requests) => {
        const reader = new TenantAddressReader('apis.example.com');
        for (const [host, url] of requests) expect(reader.read(host, url)).toEqual(tenantAddressOf(host, url, 'apis.example.com'));
      }),
    );
  });

  it('names no tenant without host or path prefix', () => {
    expect(tenantAddressOf(undefined, '/health/live', undefined)).toBeUndefined();
  });
});
