import type { TenantState } from './config-model.js';
import { planChanges } from './plan-changes.js';
import { DEFAULT_POLICY_FIELDS } from './resolve-tenants.js';

const stored: TenantState = {
  id: '00000000-0000-4000-8000-000000000001',
  slug: 'acme',
  name: 'Acme',
  hostnames: ['a.example.com', 'b.example.com'],
  upstreamUrl: null,
  policy: DEFAULT_POLICY_FIELDS,
  origins: [
    { kind: 'exact', value: 'https://a.example.com', expiresAt: null, note: null },
    { kind: 'wildcard', value: 'https://*.example.org', expiresAt: null, note: null },
  ],
};
const { id: _id, ...wanted } = stored;

describe(planChanges.name, () => {
  it('plans a tenant equal to the stored one unchanged, origins compared as a set', () => {
    const [change] = planChanges([{ ...wanted, origins: [...wanted.origins].reverse() }], new Map([['acme', stored]]), []);

    expect(change!.change).toEqual({ tenant: 'acme', action: 'unchanged', fields: [], diff: [] });
  });

  it('names each changed field with its value before and after', () => {
    const [change] = planChanges(
      [{ ...wanted, policy: { ...wanted.policy, maxAge: 60 }, origins: [wanted.origins[0]!] }],
      new Map([['acme', stored]]),
      [],
    );

    expect(change!.change).toEqual({
      tenant: 'acme',
      action: 'update',
      fields: ['policy.maxAge', 'origins'],
      diff: [
        { field: 'policy.maxAge', before: 600, after: 60 },
        { field: 'origins', before: ['https://a.example.com', 'https://*.example.org'], after: ['https://a.example.com'] },
      ],
    });
  });

  it('compares a new tenant with a fresh one, and deletes what is pruned', () => {
    const changes = planChanges([{ ...wanted, slug: 'new' }], new Map(), [stored]);

    expect(changes.map((c) => [c.change.tenant, c.action, c.change.fields])).toEqual([
      ['new', 'create', ['name', 'hostnames', 'origins']],
      ['acme', 'delete', []],
    ]);
  });
});
