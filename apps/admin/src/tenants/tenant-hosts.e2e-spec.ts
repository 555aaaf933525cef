import { createTenant } from '../../../../test/factories/admin-api.factory.js';
import { buildTenantInput } from '../../../../test/factories/tenant.factory.js';
import { type AdminTestApp, startAdminTestApp } from '../../../../test/support/admin-test-app.js';
import { TenantHostsValidator } from './tenant-hosts.validator.js';

/** Issue 19, item 9: root mistakes that would turn the gateway against the platform. */
describe(TenantHostsValidator.name, () => {
  let api: AdminTestApp;
  let allowing: AdminTestApp;

  beforeAll(async () => {
    [api, allowing] = await Promise.all([
      startAdminTestApp(),
      startAdminTestApp({ UPSTREAM_ALLOWED_HOSTS: '127.0.0.1, ::1, 10.9.0.0/16, localhost' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([api.close(), allowing.close()]);
  });

  describe('by default', () => {
    it.each([
      ['http://127.0.0.1:8080', /loopback/],
      ['http://127.1/', /loopback/],
      ['http://2130706433/', /loopback/],
      ['http://[::1]:3000/api', /loopback/],
      ['http://[::ffff:127.0.0.1]/', /loopback/],
      ['http://169.254.169.254/latest/meta-data', /metadata/],
      ['http://[fd00:ec2::254]/', /metadata/],
      ['http://169.254.10.20/', /link-local/],
      ['http://[fe80::1]/', /link-local/],
      ['http://0.0.0.0:3000', /unspecified/],
      ['http://localhost:3000', /localhost/],
      ['http://api.localhost/', /localhost/],
    ])('refuses the upstream %s, naming upstreamUrl', async (upstreamUrl, reason) => {
      const response = await api.request({ method: 'POST', url: '/api/v1/tenants', body: buildTenantInput({ upstreamUrl }) });

      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().invalidFields).toEqual([
        { field: 'upstreamUrl', reason: expect.stringMatching(new RegExp(`${reason.source}.*UPSTREAM_ALLOWED_HOSTS`)) },
      ]);
    });

    it.each([['127.0.0.1'], ['10.1.2.3'], ['localhost'], ['app.localhost']])('refuses the tenant hostname %s, naming it', async (hostname) => {
      const response = await api.request({
        method: 'POST',
        url: '/api/v1/tenants',
        body: buildTenantInput({ hostnames: ['ok.example.com', hostname] }),
      });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields).toEqual([{ field: 'hostnames[1]', reason: expect.stringMatching(/capture every \/t\/ request/) }]);
    });

    it('refuses the same on PATCH, and changes nothing', async () => {
      const { slug } = await createTenant(api, { upstreamUrl: 'https://backend.example.com' });

      const response = await api.request({
        method: 'PATCH',
        url: `/api/v1/tenants/${slug}`,
        body: { upstreamUrl: 'http://169.254.169.254/', hostnames: ['localhost'] },
      });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields.map((field: { field: string }) => field.field)).toEqual(['hostnames[0]', 'upstreamUrl']);
      expect((await api.request({ method: 'GET', url: `/api/v1/tenants/${slug}` })).json()).toMatchObject({
        upstreamUrl: 'https://backend.example.com',
        hostnames: [],
      });
    });

    it('accepts private and public addresses and ordinary names', async () => {
      for (const upstreamUrl of ['http://10.0.0.1:8080', 'http://192.168.1.5/api', 'https://backend.example.com', 'http://[2001:db8::1]/']) {
        const response = await api.request({ method: 'POST', url: '/api/v1/tenants', body: buildTenantInput({ upstreamUrl }) });
        expect(response.statusCode).toBe(201);
      }
    });
  });

  describe('with UPSTREAM_ALLOWED_HOSTS', () => {
    it('accepts listed names, addresses and ranges', async () => {
      for (const [upstreamUrl, hostnames] of [
        ['http://127.0.0.1:8080', ['127.0.0.1']],
        ['http://[::1]:8080', ['10.9.3.4']],
        ['http://localhost:3000', ['localhost']],
      ] as const) {
        const response = await allowing.request({ method: 'POST', url: '/api/v1/tenants', body: buildTenantInput({ upstreamUrl, hostnames: [...hostnames] }) });
        expect(response.statusCode).toBe(201);
      }
    });

    it('still refuses what is not listed', async () => {
      const response = await allowing.request({
        method: 'POST',
        url: '/api/v1/tenants',
        body: buildTenantInput({ upstreamUrl: 'http://127.0.0.2/', hostnames: ['10.8.0.1'] }),
      });

      expect(response.statusCode).toBe(400);
      expect(response.json().invalidFields.map((field: { field: string }) => field.field)).toEqual(['hostnames[0]', 'upstreamUrl']);
    });
  });
});
