import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { path } from '../api/api-client.js';
import { useApi } from '../api/api-context.js';
import type { Tenant, VersionDiff, VersionItem } from '../api/types.js';
import { EmptyState, ErrorNotice, Loading, SuccessNotice, Timestamp } from '../ui/feedback.js';
import { usePagedList } from '../ui/use-paged-list.js';
import { VersionDiffView } from './version-diff-view.js';

const PAGE_SIZE = 25;

/** The tenant's configuration versions: compare any two, restore an earlier one after seeing what it changes. */
export function HistoryPanel({ tenant }: { tenant: Tenant }) {
  const api = useApi();
  const resource = path('tenants', tenant.slug, 'versions');
  const list = usePagedList<VersionItem>(api, resource, PAGE_SIZE);
  const [notice, setNotice] = useState<string | null>(null);
  const versions = list.items;
  const current = list.state.data?.items[0]?.version;

  return (
    <div class="stack">
      <section class="card" aria-labelledby="history-title">
        <div class="card-head card-head-row">
          <div>
            <h2 id="history-title">History</h2>
            <p class="hint">Every change to the policy, path rules and origins is a version. Restoring one makes a new version equal to it.</p>
          </div>
          <button type="button" class="button" onClick={list.reload} disabled={list.state.status === 'loading'}>
            Refresh
          </button>
        </div>
        {notice ? <SuccessNotice>{notice}</SuccessNotice> : null}
        {list.state.status === 'error' ? (
          <ErrorNotice error={list.state.error} title="The history could not be loaded.">
            <button type="button" class="button" onClick={list.reload}>
              Try again
            </button>
          </ErrorNotice>
        ) : list.state.status === 'loading' && list.state.data === undefined ? (
          <Loading label="Loading the history…" />
        ) : versions.length === 0 ? (
          <EmptyState title="No versions kept." />
        ) : (
          <>
            <ol class="version-list" aria-label="Versions">
              {versions.map((item) => (
                <VersionEntry
                  key={item.version}
                  tenant={tenant}
                  item={item}
                  current={current}
                  onRestored={(restored) => {
                    setNotice(`Restored version ${item.version} as version ${restored}. Every gateway applies it within a second.`);
                    list.reload();
                  }}
                  onStale={list.reload}
                />
              ))}
            </ol>
            {list.olderError ? <ErrorNotice error={list.olderError} title="Older versions could not be loaded." /> : null}
            {list.nextCursor !== null ? (
              <div class="actions">
                <button type="button" class="button" disabled={list.loadingOlder} onClick={() => void list.loadOlder()}>
                  {list.loadingOlder ? 'Loading…' : 'Load older versions'}
                </button>
              </div>
            ) : null}
          </>
        )}
      </section>
      {versions.length > 1 ? <CompareVersions tenant={tenant} versions={versions} /> : null}
    </div>
  );
}

function VersionEntry(props: {
  tenant: Tenant;
  item: VersionItem;
  current: number | undefined;
  onRestored: (version: number) => void;
  onStale: () => void;
}) {
  const { item, current } = props;
  const api = useApi();
  const [preview, setPreview] = useState<{ diff: VersionDiff; against: number } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const base = path('tenants', props.tenant.slug, 'versions', item.version);

  useLayoutEffect(() => {
    if (preview) confirmRef.current?.focus();
  }, [preview]);

  const ask = async () => {
    if (current === undefined) return;
    setError(null);
    setBusy(true);
    try {
      // What restoring does: going from the current version to this one.
      const diff = await api.get<VersionDiff>(`${base}/diff`, { query: { against: current } });
      setPreview({ diff, against: current });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const restore = async () => {
    if (preview === null) return;
    setBusy(true);
    setError(null);
    try {
      const restored = await api.send<VersionItem>('POST', `${base}/restore`, { headers: { 'if-match': `"${preview.against}"` } });
      setPreview(null);
      props.onRestored(restored.data.version);
    } catch (caught) {
      setError(caught);
      setPreview(null);
      // 412: someone changed the configuration meanwhile; show the history as it is now.
      props.onStale();
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class="version" data-testid="version">
      <span class="version-number">v{item.version}</span>
      <span class="version-summary break">{item.summary}</span>
      <span class="muted small">
        by <span class="mono">{item.actor}</span> · <Timestamp iso={item.createdAt} />
      </span>
      {item.version === current ? (
        <span class="badge badge-allowed">current</span>
      ) : preview === null ? (
        <button
          type="button"
          class="button"
          aria-label={`Restore version ${item.version}…`}
          disabled={busy || current === undefined}
          onClick={() => void ask()}
        >
          {busy ? 'Loading…' : 'Restore…'}
        </button>
      ) : null}
      {preview !== null ? (
        <div
          class="confirm"
          role="group"
          aria-label={`Confirm restoring version ${item.version}`}
          onKeyDown={(event) => {
            if (event.key === 'Escape') setPreview(null);
          }}
        >
          <p class="confirm-question">
            Restore version {item.version}? Going from version {preview.against} back to it changes:
          </p>
          <VersionDiffView diff={preview.diff} />
          <div class="actions">
            <button type="button" class="button button-danger" ref={confirmRef} disabled={busy} onClick={() => void restore()}>
              {busy ? 'Restoring…' : `Yes, restore version ${item.version}`}
            </button>
            <button type="button" class="button" disabled={busy} onClick={() => setPreview(null)}>
              Cancel
            </button>
          </div>
        </div>
      ) : null}
      {error ? <ErrorNotice error={error} title={`Version ${item.version} was not restored.`} /> : null}
    </li>
  );
}

function CompareVersions({ tenant, versions }: { tenant: Tenant; versions: readonly VersionItem[] }) {
  const api = useApi();
  const [from, setFrom] = useState(String(versions[1]!.version));
  const [to, setTo] = useState(String(versions[0]!.version));
  const [diff, setDiff] = useState<VersionDiff | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const compare = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setDiff(await api.get<VersionDiff>(path('tenants', tenant.slug, 'versions', to, 'diff'), { query: { against: from } }));
    } catch (caught) {
      setDiff(null);
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  const options = versions.map((item) => (
    <option key={item.version} value={String(item.version)}>
      v{item.version}: {item.summary}
    </option>
  ));
  return (
    <section class="card" aria-labelledby="compare-title">
      <h2 id="compare-title">Compare two versions</h2>
      <form class="compare-form" onSubmit={(event) => void compare(event)} aria-label="Compare two versions">
        <div class="field">
          <label for="compare-from">From</label>
          <select id="compare-from" value={from} onChange={(event) => setFrom((event.currentTarget as HTMLSelectElement).value)}>
            {options}
          </select>
        </div>
        <div class="field">
          <label for="compare-to">To</label>
          <select id="compare-to" value={to} onChange={(event) => setTo((event.currentTarget as HTMLSelectElement).value)}>
            {options}
          </select>
        </div>
        <div class="field">
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Comparing…' : 'Compare'}
          </button>
        </div>
      </form>
      {error ? <ErrorNotice error={error} title="The versions could not be compared." /> : null}
      {diff ? (
        <div aria-live="polite">
          <p class="hint">
            Going from version {diff.against} to version {diff.version}:
          </p>
          <VersionDiffView diff={diff} />
        </div>
      ) : null}
    </section>
  );
}
