import { useState } from 'preact/hooks';
import { path } from '../api/api-client.js';
import { useApi } from '../api/api-context.js';
import { ApiError } from '../api/api-error.js';
import type { OriginRule, Page, Refusal, Tenant } from '../api/types.js';
import { EmptyState, ErrorNotice, Loading, SuccessNotice } from '../ui/feedback.js';
import { useAsync } from '../ui/use-async.js';
import { isFixedByAllowing, REASON_TEXT } from './reasons.js';
import { timeAgo } from './relative-time.js';

/**
 * Which origins the gateways refused, most recent first: "Allow this origin" adds it as an
 * origin rule and clears the entry; "Dismiss" only clears it (a later refusal brings it back).
 */
export function RefusalsInbox({ tenant, version }: { tenant: Tenant; version: number }) {
  const api = useApi();
  const resource = path('tenants', tenant.slug, 'refusals');
  const { state, reload, set } = useAsync((signal) => api.get<Page<Refusal>>(resource, { signal, query: { limit: 100 } }), [api, resource, version]);
  const [notice, setNotice] = useState<string | null>(null);
  const [error, setError] = useState<{ title: string; error: unknown } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const items = state.data?.items ?? [];
  const without = (id: string) => set({ items: items.filter((item) => item.id !== id), nextCursor: state.data?.nextCursor ?? null });

  const dismiss = async (refusal: Refusal) => {
    try {
      await api.delete(path('tenants', tenant.slug, 'refusals', refusal.id));
    } catch (caught) {
      // Already dismissed (by someone else, or a retry): the entry is gone either way.
      if (!(caught instanceof ApiError && caught.status === 404)) throw caught;
    }
    without(refusal.id);
  };

  const act = async (refusal: Refusal, allow: boolean) => {
    setBusy(refusal.id);
    setError(null);
    setNotice(null);
    try {
      if (allow) {
        try {
          const rule = await api.post<OriginRule>(path('tenants', tenant.slug, 'origins'), { origin: refusal.origin });
          setNotice(`Allowed ${rule.value}. Gateways apply it within a second.`);
        } catch (caught) {
          // Allowed meanwhile: what was asked for is true, so the entry can go.
          if (!(caught instanceof ApiError && caught.status === 409)) throw caught;
          setNotice(`${refusal.origin} was already allowed.`);
        }
      } else setNotice(`Dismissed ${refusal.origin}.`);
      await dismiss(refusal);
    } catch (caught) {
      setError({ title: allow ? `${refusal.origin} was not allowed.` : 'The refusal was not dismissed.', error: caught });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="card" aria-labelledby="refusals-title">
      <div class="card-head">
        <h2 id="refusals-title">Refused origins</h2>
        <p class="hint">What browsers were refused, summed over every gateway, within 10 seconds of the request.</p>
      </div>
      {notice ? <SuccessNotice>{notice}</SuccessNotice> : null}
      {error ? <ErrorNotice error={error.error} title={error.title} /> : null}
      {state.status === 'error' ? (
        <ErrorNotice error={state.error} title="The refusals could not be loaded.">
          <button type="button" class="button" onClick={reload}>
            Try again
          </button>
        </ErrorNotice>
      ) : state.status === 'loading' && state.data === undefined ? (
        <Loading label="Loading refusals…" />
      ) : items.length === 0 ? (
        <EmptyState title="No refusals: every cross-origin request was allowed." />
      ) : (
        <ul class="rule-list" aria-label="Refused origins">
          {items.map((refusal) => (
            <li key={refusal.id} class="rule refusal" data-testid="refusal">
              <div class="rule-main">
                <code class="rule-value break">{refusal.origin}</code>
                <span class="badge badge-refused">{REASON_TEXT[refusal.reason]}</span>
                {refusal.mode === 'report-only' ? <span class="badge">report only</span> : null}
                <span class="muted small">
                  {refusal.count === 1 ? '1 request' : `${refusal.count.toLocaleString()} requests`}, last{' '}
                  <time dateTime={refusal.lastSeenAt}>{timeAgo(refusal.lastSeenAt)}</time> · {refusal.methods.join(', ')}
                  {refusal.requestHeaders.length ? ` · headers ${refusal.requestHeaders.join(', ')}` : ''} · <code>{refusal.samplePath}</code>
                </span>
              </div>
              <div class="actions">
                {isFixedByAllowing(refusal.reason) ? (
                  <button type="button" class="button button-primary" disabled={busy !== null} onClick={() => void act(refusal, true)}>
                    Allow this origin
                  </button>
                ) : null}
                <button type="button" class="button" disabled={busy !== null} onClick={() => void act(refusal, false)} aria-label={`Dismiss ${refusal.origin}`}>
                  Dismiss
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
