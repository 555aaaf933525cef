import { path } from '../api/api-client.js';
import { useApi } from '../api/api-context.js';
import type { AuditEvent, Tenant } from '../api/types.js';
import { EmptyState, ErrorNotice, Loading, Timestamp } from '../ui/feedback.js';
import { usePagedList } from '../ui/use-paged-list.js';
import { actionLabel, summarise } from './audit-summary.js';

const PAGE_SIZE = 25;

/** Who changed what, when: the tenant's audit log, newest first. */
export function AuditPanel({ tenant }: { tenant: Tenant }) {
  const api = useApi();
  const { state, reload, items: events, nextCursor, loadOlder, loadingOlder, olderError } = usePagedList<AuditEvent>(
    api,
    path('tenants', tenant.slug, 'audit'),
    PAGE_SIZE,
  );
  const first = state.data;

  return (
    <section class="card" aria-labelledby="audit-title">
      <div class="card-head card-head-row">
        <div>
          <h2 id="audit-title">Audit log</h2>
          <p class="hint">Every change to this tenant, newest first.</p>
        </div>
        <button type="button" class="button" onClick={reload} disabled={state.status === 'loading'}>
          Refresh
        </button>
      </div>
      {state.status === 'error' ? (
        <ErrorNotice error={state.error} title="The audit log could not be loaded.">
          <button type="button" class="button" onClick={reload}>
            Try again
          </button>
        </ErrorNotice>
      ) : state.status === 'loading' && first === undefined ? (
        <Loading label="Loading the audit log…" />
      ) : events.length === 0 ? (
        <EmptyState title="No changes recorded yet." />
      ) : (
        <>
          <ol class="audit-list" aria-busy={state.status === 'loading' ? 'true' : undefined}>
            {events.map((event) => (
              <AuditEntry key={event.id} event={event} />
            ))}
          </ol>
          {olderError ? <ErrorNotice error={olderError} title="Older entries could not be loaded." /> : null}
          {nextCursor !== null ? (
            <div class="actions">
              <button type="button" class="button" disabled={loadingOlder} onClick={() => void loadOlder()}>
                {loadingOlder ? 'Loading…' : 'Load older entries'}
              </button>
            </div>
          ) : null}
        </>
      )}
    </section>
  );
}

function AuditEntry({ event }: { event: AuditEvent }) {
  const summary = summarise(event);
  return (
    <li class="audit-entry" data-testid="audit-entry">
      <div class="audit-line">
        <span class="audit-action">{actionLabel(event.action)}</span>
        {summary ? <span class="mono break audit-summary">{summary}</span> : null}
      </div>
      <div class="muted small">
        by <span class="mono">{event.actor}</span> · <Timestamp iso={event.createdAt} />
      </div>
      <details class="audit-details">
        <summary>Before and after</summary>
        <div class="diff">
          <div>
            <h4>Before</h4>
            <pre>{event.before === null || event.before === undefined ? '(nothing)' : JSON.stringify(event.before, null, 2)}</pre>
          </div>
          <div>
            <h4>After</h4>
            <pre>{event.after === null || event.after === undefined ? '(nothing)' : JSON.stringify(event.after, null, 2)}</pre>
          </div>
        </div>
      </details>
    </li>
  );
}
