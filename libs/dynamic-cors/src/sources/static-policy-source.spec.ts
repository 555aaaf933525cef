import { staticPolicySource } from './static-policy-source.js';

const request = { method: 'GET', url: '/', host: 'x', protocol: 'https', headers: {} };

describe(staticPolicySource.name, () => {
  it('serves each tenant by slug and by its hostnames, defaults filled in', () => {
    const source = staticPolicySource({ acme: { origins: ['HTTPS://App.Acme.com:443'], hostnames: ['API.acme.com.'] } });
    const target = source.forTenant('acme', request);
    expect(target).toMatchObject({ slug: 'acme', tenantId: 'acme' });
    expect(source.forTenant({ hostname: 'api.acme.com' }, request)).toBe(target);
    // Normalised like the admin API does, and the admin's defaults (GET, HEAD, POST).
    expect((target as { policy: { exactOrigin(origin: string): unknown } }).policy.exactOrigin('https://app.acme.com')).toBeDefined();
  });

  it('answers null for an unknown slug and undefined for an unknown hostname', () => {
    const source = staticPolicySource({ acme: { origins: [] } });
    expect(source.forTenant('nobody', request)).toBeNull();
    expect(source.forTenant({ hostname: 'nobody.test' }, request)).toBeUndefined();
  });

  it.each([
    ['an origin that is no origin', { acme: { origins: ['app.acme.com/path'] } }, /tenant "acme": origins\[0\]: "app.acme.com\/path"/],
    ['a wildcard over a public suffix', { acme: { origins: ['https://*.co.uk'] } }, /origins\[0\]: "https:\/\/\*.co.uk"/],
    ['* with credentials', { acme: { origins: ['*'], allowCredentials: true } }, /origins: \* cannot be allowed with allowCredentials/],
    ['a forbidden method', { acme: { origins: [], allowedMethods: ['CONNECT'] } }, /allowedMethods: method CONNECT is forbidden/],
    ['a bad path rule', { acme: { origins: [], pathRules: [{ path: 'no-slash' }] } }, /pathRules\[0\]\.path/],
    ['a bad slug', { Acme: { origins: [] } }, /tenant "Acme": the slug must be/],
    ['a hostname two tenants claim', { a: { origins: [], hostnames: ['x.test'] }, b: { origins: [], hostnames: ['X.test'] } }, /tenant "b": hostnames\[0\]: x.test is already tenant a's/],
  ])('refuses %s at start-up, naming the tenant and the field', (_name, policies, message) => {
    expect(() => staticPolicySource(policies as Parameters<typeof staticPolicySource>[0])).toThrow(message);
  });

  it('lists every problem at once', () => {
    expect(() => staticPolicySource({ a: { origins: ['nope'] }, b: { origins: ['https://ok.test'], maxAge: -1 } })).toThrow(/tenant "a".*\n.*tenant "b": maxAge/);
  });
});
