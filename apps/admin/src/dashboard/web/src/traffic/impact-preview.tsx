import { path } from '../api/api-client.js';
import { useApi } from '../api/api-context.js';
import type { PolicyPreview, PreviewItem, Tenant } from '../api/types.js';
import { ErrorNotice, Loading } from '../ui/feedback.js';
import { useAsync } from '../ui/use-async.js';
import { REASON_TEXT } from './reasons.js';
import { timeAgo } from './relative-time.js';

/**
 * What a proposed change (a policy body, or `{origins}`) would do to the last 7 days of
 * traffic, before it is saved: the requests that would start failing, and those that would
 * start working.
 */
export function ImpactPreview({ tenant, proposal }: { tenant: Tenant; proposal: unknown }) {
  const api = useApi();
  const body = JSON.stringify(proposal);
  const { state } = useAsync(
    (signal) => api.post<PolicyPreview>(path('tenants', tenant.slug, 'policy', 'preview'), proposal, { signal }),
    [api, tenant.slug, body],
  );
  if (state.status === 'error') return <ErrorNotice error={state.error} title="The impact could not be previewed." />;
  if (state.status === 'loading') return <Loading label="Replaying the last 7 days of traffic…" />;
  const { wouldRefuse, wouldAllow, replayed } = state.data;
  return (
    <div class="impact" role="region" aria-label="Impact of this change">
      {wouldRefuse.length === 0 && wouldAllow.length === 0 ? (
        <p class="hint">
          No change for the {replayed === 1 ? 'one kind of request' : `${replayed} kinds of request`} seen in the last 7 days.
        </p>
      ) : null}
      <ImpactList title="Would start failing" items={wouldRefuse} tone="refused" />
      <ImpactList title="Would start working" items={wouldAllow} tone="allowed" />
    </div>
  );
}

function ImpactList({ title, items, tone }: { title: string; items: readonly PreviewItem[]; tone: 'refused' | 'allowed' }) {
  if (items.length === 0) return null;
  return (
    <div class={`impact-list impact-${tone}`}>
      <strong>{title}</strong>
      <ul aria-label={title}>
        {items.map((item) => (
          <li key={`${item.origin} ${item.method} ${item.requestHeaders.join(',')}`}>
            <code class="break">{item.origin}</code> {item.method}
            {item.requestHeaders.length ? ` with ${item.requestHeaders.join(', ')}` : ''}: {item.count === 1 ? '1 request' : `${item.count} requests`}, last{' '}
            {timeAgo(item.lastSeenAt)}
            {item.reason ? ` (${REASON_TEXT[item.reason].toLowerCase()})` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}
