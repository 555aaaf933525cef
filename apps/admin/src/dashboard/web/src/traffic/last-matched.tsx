import type { OriginRule } from '../api/types.js';
import { timeAgo } from './relative-time.js';

/** "last matched 3 days ago · 42 requests", or "never matched": is the rule still used? */
export function LastMatched({ rule }: { rule: OriginRule }) {
  if (rule.lastMatchedAt === null) return <span class="muted small usage usage-never">never matched</span>;
  return (
    <span class="muted small usage">
      last matched{' '}
      <time dateTime={rule.lastMatchedAt} title={new Date(rule.lastMatchedAt).toISOString()}>
        {timeAgo(rule.lastMatchedAt)}
      </time>{' '}
      · {rule.matchCount === 1 ? '1 request' : `${rule.matchCount.toLocaleString()} requests`}
    </span>
  );
}
