import { confinedResponseHeaders, confinedSetCookie, tenantCookies } from './path-tenant-isolation.js';

describe(confinedSetCookie.name, () => {
  it.each([
    ['sid=1', 't.shop.sid=1; Path=/t/shop/'],
    ['sid=1; Path=/; Domain=example.com; HttpOnly; Secure; SameSite=Lax', 't.shop.sid=1; Path=/t/shop/; HttpOnly; Secure; SameSite=Lax'],
    ['sid=1; path=/api; DOMAIN=.example.com; Max-Age=60', 't.shop.sid=1; Path=/t/shop/api; Max-Age=60'],
    ['sid=1; Path=relative; Partitioned', 't.shop.sid=1; Path=/t/shop/; Partitioned'],
  ])('confines %s', (upstream, confined) => {
    expect(confinedSetCookie(upstream, 'shop')).toBe(confined);
  });
});

describe(tenantCookies.name, () => {
  it("passes on only the tenant's own cookies, under their own names", () => {
    expect(tenantCookies('t.shop.sid=1; t.other.sid=2; sid=3; t.shop.theme=dark', 'shop')).toBe('sid=1; theme=dark');
    expect(tenantCookies('t.other.sid=2; sid=3', 'shop')).toBeUndefined();
    expect(tenantCookies('t.shopx.sid=2', 'shop')).toBeUndefined();
    expect(tenantCookies(undefined, 'shop')).toBeUndefined();
  });
});

describe(confinedResponseHeaders.name, () => {
  it("sandboxes every response, keeping the upstream's own policy", () => {
    expect(confinedResponseHeaders({ 'content-type': 'application/json' }, 'shop')['content-security-policy']).toBe('sandbox');
    expect(confinedResponseHeaders({ 'content-security-policy': "default-src 'self'" }, 'shop')['content-security-policy']).toEqual([
      "default-src 'self'",
      'sandbox',
    ]);
  });
});
