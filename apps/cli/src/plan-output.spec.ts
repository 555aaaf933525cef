import { type Plan, renderPlan } from './plan-output.js';

describe(renderPlan.name, () => {
  it('shows each changed tenant, its fields (lists as additions and removals), the losses and a summary', () => {
    const plan: Plan = {
      dryRun: true,
      changes: [
        { tenant: 'a', action: 'unchanged', fields: [], diff: [] },
        {
          tenant: 'b',
          action: 'update',
          fields: ['policy.maxAge', 'origins'],
          diff: [
            { field: 'policy.maxAge', before: 600, after: 60 },
            { field: 'origins', before: ['https://x.example', 'https://y.example'], after: ['https://x.example', 'https://z.example'] },
          ],
        },
        { tenant: 'c', action: 'delete', fields: [], diff: [] },
      ],
      losses: [{ where: 'CORSRules', what: 'merged' }],
    };

    expect(renderPlan(plan)).toBe(
      [
        '~ b (update)',
        '    policy.maxAge: 600 → 60',
        '    origins: +https://z.example -https://y.example',
        '- c (delete)',
        'losses (1): what the source says that corsmesh cannot represent',
        '  CORSRules: merged',
        '0 to create, 1 to update, 1 to delete, 1 unchanged',
        '',
      ].join('\n'),
    );
  });

  it('says when everything is in sync', () => {
    expect(renderPlan({ dryRun: true, changes: [{ tenant: 'a', action: 'unchanged', fields: [], diff: [] }], losses: [] })).toBe('in sync: 1 tenant(s) unchanged\n');
  });
});
