import { isDeepStrictEqual } from 'node:util';
import type { NewOriginRule } from '../../origins/origin-rules.js';
import { toPathRuleView } from '../../policies/path-rule.schema.js';
import type { PolicyFields } from '../../policies/policy.schema.js';
import type { DesiredTenant, Loss, TenantState } from './config-model.js';
import { DEFAULT_POLICY_FIELDS } from './resolve-tenants.js';

/** What an import does to one tenant. */
export type ChangeAction = 'create' | 'update' | 'delete' | 'unchanged';

/** One field an import changes, with its value before and after (origins as their rules). */
export interface FieldChange {
  readonly field: string;
  readonly before: unknown;
  readonly after: unknown;
}

/** One entry of a plan (SPEC: `{tenant, action, fields}`), with the values for a readable diff. */
export interface PlannedChange {
  readonly tenant: string;
  readonly action: ChangeAction;
  /** The fields created or changed: `name`, `hostnames`, `upstreamUrl`, `policy.<field>`, `origins`. */
  readonly fields: readonly string[];
  readonly diff: readonly FieldChange[];
}

/** What an import answers. */
export interface ImportPlan {
  readonly changes: readonly PlannedChange[];
  readonly losses: readonly Loss[];
}

/** A planned change with what the apply step needs: the stored and the wanted tenant. */
export type TenantChange =
  | { readonly action: 'create'; readonly desired: DesiredTenant; readonly change: PlannedChange }
  | { readonly action: 'update'; readonly desired: DesiredTenant; readonly current: TenantState; readonly change: PlannedChange }
  | { readonly action: 'delete'; readonly current: TenantState; readonly change: PlannedChange }
  | { readonly action: 'unchanged'; readonly change: PlannedChange };

const POLICY_KEYS = Object.keys(DEFAULT_POLICY_FIELDS) as (keyof PolicyFields)[];

/**
 * Compares each wanted tenant with the stored one (or, for a new tenant, with a fresh tenant's
 * defaults) field by field, and adds a deletion for each tenant in `pruned`. Lists are compared
 * as the gateway reads them: hostnames and origin rules as sets, methods and headers as lists.
 */
export function planChanges(
  desired: readonly DesiredTenant[],
  current: ReadonlyMap<string, TenantState>,
  pruned: readonly TenantState[],
): TenantChange[] {
  const changes: TenantChange[] = desired.map((tenant) => {
    const stored = current.get(tenant.slug);
    const diff = differences(stored, tenant);
    const change = (action: ChangeAction): PlannedChange => ({
      tenant: tenant.slug,
      action,
      fields: diff.map((d) => d.field),
      diff,
    });
    if (stored === undefined) return { action: 'create', desired: tenant, change: change('create') };
    if (diff.length === 0) return { action: 'unchanged', change: change('unchanged') };
    return { action: 'update', desired: tenant, current: stored, change: change('update') };
  });
  for (const stored of pruned) {
    changes.push({ action: 'delete', current: stored, change: { tenant: stored.slug, action: 'delete', fields: [], diff: [] } });
  }
  return changes;
}

function differences(stored: TenantState | undefined, wanted: DesiredTenant): FieldChange[] {
  const diff: FieldChange[] = [];
  const add = (field: string, before: unknown, after: unknown) => diff.push({ field, before, after });
  if (stored?.name !== wanted.name) add('name', stored?.name ?? null, wanted.name);
  if (!isDeepStrictEqual(stored?.hostnames ?? [], wanted.hostnames)) add('hostnames', stored?.hostnames ?? [], wanted.hostnames);
  if ((stored?.upstreamUrl ?? null) !== wanted.upstreamUrl) add('upstreamUrl', stored?.upstreamUrl ?? null, wanted.upstreamUrl);
  const before = stored?.policy ?? DEFAULT_POLICY_FIELDS;
  for (const key of POLICY_KEYS) {
    if (isDeepStrictEqual(before[key], wanted.policy[key])) continue;
    add(`policy.${key}`, viewOf(key, before[key]), viewOf(key, wanted.policy[key]));
  }
  if (!sameRules(stored?.origins ?? [], wanted.origins)) add('origins', (stored?.origins ?? []).map((o) => o.value), wanted.origins.map((o) => o.value));
  return diff;
}

function viewOf(key: keyof PolicyFields, value: unknown): unknown {
  return key === 'pathRules' ? (value as PolicyFields['pathRules']).map(toPathRuleView) : value;
}

function sameRules(a: readonly NewOriginRule[], b: readonly NewOriginRule[]): boolean {
  const key = (rule: NewOriginRule) => `${rule.kind} ${rule.value} ${rule.expiresAt?.toISOString() ?? ''} ${rule.note ?? ''}`;
  const set = new Set(a.map(key));
  return a.length === b.length && b.every((rule) => set.has(key(rule)));
}
