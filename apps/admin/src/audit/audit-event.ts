import { z } from 'zod';

/** What an audited change did. */
export type AuditAction =
  | 'tenant.created'
  | 'tenant.updated'
  | 'tenant.deleted'
  /** Created or changed by a configuration import: before and after as native document entries. */
  | 'tenant.imported'
  | 'policy.updated'
  | 'origin.added'
  | 'origin.removed'
  | 'origins.replaced'
  | 'api-key.created'
  | 'api-key.revoked'
  | 'refusal.dismissed'
  | 'version.restored';

/** A JSON value as stored in `before`/`after`: API views, never secrets. */
export type AuditSnapshot = unknown;

/** One change to record, in the transaction of the change itself. */
export interface AuditEntry {
  /** `root` or `key:<prefix>`. */
  readonly actor: string;
  readonly action: AuditAction;
  /** The state before the change; null for a creation. */
  readonly before: AuditSnapshot | null;
  /** The state after the change; null for a deletion. */
  readonly after: AuditSnapshot | null;
}

/** An audit event as the API returns it. */
export const auditEventView = z
  .object({
    id: z.string().meta({ description: 'Increasing identifier', example: '42' }),
    tenantSlug: z.string().nullable().meta({ example: 'acme' }),
    actor: z.string().meta({ description: '`root` or `key:<prefix>`', example: 'root' }),
    action: z.string().meta({ example: 'policy.updated' }),
    before: z.unknown().meta({ description: 'State before the change (null for a creation)' }),
    after: z.unknown().meta({ description: 'State after the change (null for a deletion)' }),
    createdAt: z.iso.datetime().meta({ example: '2026-11-25T13:00:00.000Z' }),
  })
  .meta({ id: 'AuditEvent' });

/** An audit event as the API returns it. */
export type AuditEventView = z.infer<typeof auditEventView>;

/** One page of audit events. */
export const auditEventPageView = z
  .object({ items: z.array(auditEventView), nextCursor: z.string().nullable() })
  .meta({ id: 'AuditEventPage' });
