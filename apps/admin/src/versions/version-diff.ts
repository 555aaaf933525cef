import { isDeepStrictEqual } from 'node:util';
import { SNAPSHOT_POLICY_FIELDS, type VersionDiffView, type VersionView } from './version.schema.js';

type Snapshot = Pick<VersionView, 'policy' | 'origins'>;

/**
 * What going from `from` to `to` changes: policy fields (path rules as one field, compared
 * whole since their order matters) added, removed or changed, and origin rules, identified by
 * their normalised value, added, removed or changed in expiry or note.
 */
export function diffSnapshots(from: Snapshot, to: Snapshot): Pick<VersionDiffView, 'fields' | 'origins'> {
  const fields: VersionDiffView['fields'] = { added: [], removed: [], changed: [] };
  const before = from.policy as Record<string, unknown>;
  const after = to.policy as Record<string, unknown>;
  // In the API's order of the fields, whatever order the stored JSON has them in.
  for (const field of new Set([...SNAPSHOT_POLICY_FIELDS, ...Object.keys(before), ...Object.keys(after)])) {
    if (!(field in before) && !(field in after)) continue;
    if (!(field in before)) fields.added.push({ field, after: after[field] });
    else if (!(field in after)) fields.removed.push({ field, before: before[field] });
    else if (!isDeepStrictEqual(before[field], after[field]))
      fields.changed.push({ field, before: before[field], after: after[field] });
  }
  const earlier = new Map(from.origins.map((rule) => [rule.value, rule]));
  const later = new Map(to.origins.map((rule) => [rule.value, rule]));
  const origins: VersionDiffView['origins'] = { added: [], removed: [], changed: [] };
  for (const [value, rule] of later) {
    const was = earlier.get(value);
    if (was === undefined) origins.added.push(rule);
    else if (!isDeepStrictEqual(was, rule)) origins.changed.push({ value, before: was, after: rule });
  }
  for (const [value, rule] of earlier) if (!later.has(value)) origins.removed.push(rule);
  return { fields, origins };
}
