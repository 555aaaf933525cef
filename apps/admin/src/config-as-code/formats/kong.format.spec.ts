import type { TenantState } from '../document/config-model.js';
import { DEFAULT_POLICY_FIELDS } from '../document/resolve-tenants.js';
import { readKong, writeKong } from './kong.format.js';

const tenant: TenantState = {
  id: '00000000-0000-4000-8000-000000000001',
  slug: 'acme',
  name: 'acme',
  hostnames: ['api.acme.example'],
  upstreamUrl: 'https://backend.acme.example',
  policy: DEFAULT_POLICY_FIELDS,
  origins: [
    { kind: 'wildcard', value: 'https://*.acme.example', expiresAt: null, note: null },
    { kind: 'regex', value: '^https://pr-[0-9]+\\.acme\\.example$', expiresAt: null, note: null },
    { kind: 'any', value: '*', expiresAt: null, note: null },
  ],
};

const draftOf = (value: unknown, options = {}) => readKong(value, options).tenants.map((t) => t.value);

describe('kong format', () => {
  describe(readKong.name, () => {
    it('reads what it writes: wildcards back as wildcards, without losses', () => {
      const { document, losses } = writeKong([tenant]);
      const read = readKong(document, {});

      expect(losses).toEqual([]);
      expect(read.losses).toEqual([]);
      expect(read.tenants[0]!.value).toMatchObject({
        slug: 'acme',
        hostnames: ['api.acme.example'],
        upstreamUrl: 'https://backend.acme.example',
        origins: [{ origin: 'https://*.acme.example' }, { pattern: '^https://pr-[0-9]+\\.acme\\.example$', type: 'regex' }, { origin: '*' }],
      });
    });

    it('maps a route by its stored host before its tag, and its own plugin before its service’s', () => {
      const deck = {
        services: [
          {
            name: 'svc',
            host: 'backend.internal.example',
            port: 8443,
            protocol: 'https',
            tags: ['tenant-tagged'],
            plugins: [{ name: 'cors', config: { origins: ['https://service.example'], headers: [] } }],
            routes: [
              { name: 'r1', hosts: ['known.example'], plugins: [{ name: 'cors', config: { origins: ['https://route.example'], headers: [] } }] },
              { name: 'r2', hosts: ['unknown.example'] },
            ],
          },
        ],
      };

      const drafts = draftOf(deck, { tenantOfHost: (host: string) => (host === 'known.example' ? 'known' : undefined) });

      expect(drafts).toEqual([
        expect.objectContaining({ slug: 'known', origins: [{ origin: 'https://route.example' }], upstreamUrl: 'https://backend.internal.example:8443' }),
        expect.objectContaining({ slug: 'tagged', origins: [{ origin: 'https://service.example' }], hostnames: ['unknown.example'] }),
      ]);
    });

    it('reads a host-only regex as http and https origins of that host, and says so', () => {
      const read = readKong({ services: [{ name: 's', tags: ['tenant-t'], plugins: [{ name: 'cors', config: { origins: ['[a-z]+\\.example\\.com'], headers: [], methods: ['GET'] } }] }] }, {});

      expect(read.tenants[0]!.value).toMatchObject({ origins: [{ pattern: '^https?://[a-z]+\\.example\\.com(?::[0-9]+)?$', type: 'regex' }] });
      expect(read.losses).toEqual([{ where: 'services[0].plugins[0].config.origins[0]', what: expect.stringContaining('against the host') }]);
    });

    it('refuses a route whose tenant it cannot tell, naming the route', () => {
      expect(() => readKong({ routes: [{ name: 'lost', hosts: ['x.example'], plugins: [{ name: 'cors' }] }] }, {})).toThrow(/routes\[0\]: cannot tell which tenant/);
    });
  });
});
