/** The plan `POST /api/v1/import` answers, as the CLI reads it. */
export interface Plan {
  readonly dryRun: boolean;
  readonly changes: readonly {
    readonly tenant: string;
    readonly action: 'create' | 'update' | 'delete' | 'unchanged';
    readonly fields: readonly string[];
    readonly diff: readonly { readonly field: string; readonly before: unknown; readonly after: unknown }[];
  }[];
  readonly losses: readonly { readonly where: string; readonly what: string }[];
}

const MARKS = { create: '+', update: '~', delete: '-', unchanged: ' ' } as const;

/** How many tenants each action touches. */
export function countsOf(plan: Plan): Record<Plan['changes'][number]['action'], number> {
  const counts = { create: 0, update: 0, delete: 0, unchanged: 0 };
  for (const change of plan.changes) counts[change.action]++;
  return counts;
}

/** Whether applying the plan would change anything. */
export function changesAnything(plan: Plan): boolean {
  return plan.changes.some((change) => change.action !== 'unchanged');
}

/** `2 to create, 1 to update, 0 to delete, 97 unchanged` (or `created` … once applied). */
export function summaryOf(plan: Plan): string {
  const c = countsOf(plan);
  return plan.dryRun
    ? `${c.create} to create, ${c.update} to update, ${c.delete} to delete, ${c.unchanged} unchanged`
    : `${c.create} created, ${c.update} updated, ${c.delete} deleted, ${c.unchanged} unchanged`;
}

/**
 * The plan as a readable diff: one line per changed tenant (`+` create, `~` update, `-` delete),
 * under it one line per field (lists as what is added and removed), then the losses.
 */
export function renderPlan(plan: Plan): string {
  const lines: string[] = [];
  for (const change of plan.changes) {
    if (change.action === 'unchanged') continue;
    lines.push(`${MARKS[change.action]} ${change.tenant} (${change.action})`);
    for (const { field, before, after } of change.diff) lines.push(`    ${field}: ${describe(before, after)}`);
  }
  if (plan.losses.length > 0) {
    lines.push(`losses (${plan.losses.length}): what the source says that corsmesh cannot represent`);
    for (const loss of plan.losses) lines.push(`  ${loss.where}: ${loss.what}`);
  }
  lines.push(changesAnything(plan) ? summaryOf(plan) : `in sync: ${plan.changes.length} tenant(s) unchanged`);
  return `${lines.join('\n')}\n`;
}

function describe(before: unknown, after: unknown): string {
  if (isStrings(before) && isStrings(after)) {
    const added = after.filter((item) => !before.includes(item)).map((item) => `+${item}`);
    const removed = before.filter((item) => !after.includes(item)).map((item) => `-${item}`);
    const moved = added.length === 0 && removed.length === 0 ? [`reordered: ${after.join(', ')}`] : [];
    return [...added, ...removed, ...moved].join(' ');
  }
  return `${JSON.stringify(before)} → ${JSON.stringify(after)}`;
}

function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
