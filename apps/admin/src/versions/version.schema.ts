import { z } from 'zod';
import { pathRuleView, toPathRuleView } from '../policies/path-rule.schema.js';
import { policyView } from '../policies/policy.schema.js';
import type { ConfigSnapshot } from './config-snapshot.js';
import type { StoredVersion } from './versions.repository.js';

/** One version in the list. */
export const versionItemView = z
  .object({
    version: z.number().int().meta({ description: 'Numbered per tenant from 1 (its creation)', example: 7 }),
    createdAt: z.iso.datetime().meta({ example: '2026-12-01T16:10:00.000Z' }),
    actor: z.string().meta({ description: '`root` or `key:<prefix>`', example: 'root' }),
    summary: z.string().meta({ description: 'One line: what the change did', example: 'added origin https://app.example.com' }),
  })
  .meta({ id: 'VersionItem' });

/** One page of versions, newest first. */
export const versionPageView = z
  .object({ items: z.array(versionItemView), nextCursor: z.string().nullable() })
  .meta({ id: 'VersionPage' });

const snapshotOriginView = z
  .object({
    kind: z.enum(['exact', 'wildcard', 'regex', 'any']).meta({ example: 'exact' }),
    value: z.string().meta({ example: 'https://app.example.com' }),
    expiresAt: z.iso.datetime().nullable().meta({ example: null }),
    note: z.string().nullable().meta({ example: null }),
  })
  .meta({ id: 'VersionOrigin' });

/** The policy fields of a snapshot, as `GET /policy` shows them (no version, warnings or time). */
const snapshotPolicyView = policyView
  .omit({ version: true, updatedAt: true, warnings: true })
  .extend({ pathRules: z.array(pathRuleView) })
  .meta({ id: 'VersionPolicy' });

/** The policy fields of a snapshot in the order the API shows them (and a diff lists them). */
export const SNAPSHOT_POLICY_FIELDS: readonly string[] = Object.keys(snapshotPolicyView.shape);

/** One version with the whole configuration it recorded. */
export const versionView = versionItemView
  .extend({ policy: snapshotPolicyView, origins: z.array(snapshotOriginView) })
  .meta({ id: 'Version' });

/** A version as the API returns it. */
export type VersionView = z.infer<typeof versionView>;
/** A version in the list. */
export type VersionItemView = z.infer<typeof versionItemView>;

/** The API's view of a stored version. */
export function toVersionView(stored: StoredVersion): VersionView {
  const { snapshot, ...item } = stored;
  return { ...item, ...toSnapshotView(snapshot) };
}

/** A snapshot's policy and origins as the API shows them: path-rule origins in their input form. */
export function toSnapshotView(snapshot: ConfigSnapshot): Pick<VersionView, 'policy' | 'origins'> {
  return {
    policy: { ...snapshot.policy, pathRules: snapshot.policy.pathRules.map(toPathRuleView) },
    origins: snapshot.origins.map((rule) => ({ ...rule })),
  };
}

const fieldChange = z.object({
  field: z.string().meta({ example: 'maxAge' }),
  before: z.unknown().meta({ description: 'Absent from `added` items', example: 600 }),
  after: z.unknown().meta({ description: 'Absent from `removed` items', example: 3600 }),
});

/** `GET …/versions/{n}/diff?against={m}`: what going from version m to version n changes. */
export const versionDiffView = z
  .object({
    version: z.number().int().meta({ description: 'n: the version described', example: 7 }),
    against: z.number().int().meta({ description: 'm: the version it is compared with', example: 5 }),
    fields: z.object({
      added: z.array(fieldChange.omit({ before: true })),
      removed: z.array(fieldChange.omit({ after: true })),
      changed: z.array(fieldChange),
    }),
    origins: z.object({
      added: z.array(snapshotOriginView),
      removed: z.array(snapshotOriginView),
      changed: z
        .array(z.object({ value: z.string(), before: snapshotOriginView, after: snapshotOriginView }))
        .meta({ description: 'Rules in both whose expiry or note differ' }),
    }),
  })
  .meta({ id: 'VersionDiff' });

/** A diff as the API returns it. */
export type VersionDiffView = z.infer<typeof versionDiffView>;
