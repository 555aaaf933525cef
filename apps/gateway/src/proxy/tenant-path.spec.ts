import { pathAfterSlug } from '#dynamic-cors';
import { isTenantPath, tenantPathOf } from './tenant-path.js';

const pathOf = (url: string) => tenantPathOf(url, pathAfterSlug(url, 'acme'));

describe(tenantPathOf.name, () => {
  it.each([
    ['/t/acme/users?page=2', '/users?page=2'],
    ['/t/acme', '/'],
    ['/t/acme?page=2', '/?page=2'],
    ['/t/acme/', '/'],
    ['/users?page=2', '/users?page=2'],
    ['/t/acmeco/users', '/t/acmeco/users'],
  ])('gives %s to the tenant as %s', (url, path) => {
    expect(pathOf(url)).toBe(path);
  });
});

describe(isTenantPath.name, () => {
  it.each([
    ['/t/acme/echo', true],
    ['/t/acme/echo?x=1', true],
    ['/echo', true],
    ['/echo?x=/y', true],
    ['/t/acme/echo/', false],
    ['/t/acme/echoes', false],
    ['/t/acme?/echo', false],
    ['/t/acme', false],
    ['/t/acmeco/echo', false],
  ])('tells whether %s is the echo path: %s', (url, echo) => {
    expect(isTenantPath(url, pathAfterSlug(url, 'acme'), '/echo')).toBe(echo);
  });
});
