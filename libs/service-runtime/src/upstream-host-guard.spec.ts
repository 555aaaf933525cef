import { compileHostAllowList, compileUpstreamHostGuard } from './upstream-host-guard.js';

describe(compileUpstreamHostGuard.name, () => {
  const guard = compileUpstreamHostGuard([], ['192.0.2.10']);

  it.each([
    ['127.0.0.1', /loopback/],
    ['127.255.0.9', /loopback/],
    ['[::1]', /loopback/],
    ['::ffff:127.0.0.1', /loopback/],
    ['169.254.169.254', /metadata/],
    ['fd00:ec2::254', /metadata/],
    ['169.254.1.1', /link-local/],
    ['fe80::1', /link-local/],
    ['0.0.0.0', /unspecified/],
    ['::', /unspecified/],
    ['localhost', /localhost/],
    ['API.localhost', /localhost/],
    ['192.0.2.10', /own addresses/],
  ])('refuses %s', (host, reason) => {
    expect(guard(host)).toMatch(reason);
  });

  it.each([['10.0.0.1'], ['192.168.1.1'], ['8.8.8.8'], ['2001:db8::1'], ['backend.example.com'], ['localhost.example.com']])('accepts %s', (host) => {
    expect(guard(host)).toBeUndefined();
  });

  it('accepts what the operator lists: names, addresses and ranges', () => {
    const allowing = compileUpstreamHostGuard(['localhost', '127.0.0.1', 'fe80::/10', '169.254.0.0/16'], ['192.0.2.10']);

    expect(['localhost', '127.0.0.1', '[fe80::5]', '169.254.169.254'].map(allowing)).toEqual([undefined, undefined, undefined, undefined]);
    expect(allowing('127.0.0.2')).toMatch(/loopback/);
    expect(allowing('192.0.2.10')).toMatch(/own addresses/);
  });
});

describe(compileHostAllowList.name, () => {
  it('matches names case-insensitively and addresses by range', () => {
    const listed = compileHostAllowList(['Backend.Internal', '10.0.0.0/8']);

    expect(['backend.internal', 'BACKEND.INTERNAL', '10.1.2.3', '::ffff:10.1.2.3'].map(listed)).toEqual([true, true, true, true]);
    expect(['other.internal', '11.0.0.1'].map(listed)).toEqual([false, false]);
  });
});
