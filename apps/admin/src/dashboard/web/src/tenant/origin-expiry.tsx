import type { OriginRule } from '../api/types.js';
import { relativeTime } from '../ui/relative-time.js';

/** "expires in 3 days" or "expired 2 hours ago", with the exact time on hover; nothing for a rule that never expires. */
export function OriginExpiry({ rule }: { rule: Pick<OriginRule, 'expiresAt' | 'expired'> }) {
  if (rule.expiresAt === null) return null;
  const when = relativeTime(rule.expiresAt);
  return (
    <time
      class={`badge ${rule.expired ? 'badge-expired' : 'badge-expiring'}`}
      dateTime={rule.expiresAt}
      title={new Date(rule.expiresAt).toISOString()}
      data-testid="origin-expiry"
    >
      {rule.expired ? `expired ${when}` : `expires ${when}`}
    </time>
  );
}
