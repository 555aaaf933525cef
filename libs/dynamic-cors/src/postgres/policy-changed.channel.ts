/**
 * The PostgreSQL NOTIFY channel on which the database itself (triggers of the migration
 * `added_policy_change_notifications`) announces every committed change that affects what a
 * gateway serves for a tenant.
 */
export const POLICY_CHANGED_CHANNEL = 'corsmesh_policy_changed';

/** The JSON payload of a {@link POLICY_CHANGED_CHANNEL} notification. */
export interface PolicyChangedEvent {
  readonly tenantId: string;
  /** The tenant's slug before and after the change, when the change touched it. */
  readonly slugs: readonly string[];
  /** Hostnames added to or removed from the tenant. */
  readonly hostnames: readonly string[];
}
