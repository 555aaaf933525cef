import { useEffect, useRef, useState } from 'preact/hooks';
import { useApi } from '../api/api-context.js';
import { ApiError } from '../api/api-error.js';
import type { Page, Tenant } from '../api/types.js';
import { Link, navigate, tenantHref } from '../router.js';
import { EmptyState, ErrorNotice, Loading, SuccessNotice, Timestamp } from '../ui/feedback.js';
import { useAsync } from '../ui/use-async.js';
import { CreateTenantForm } from './create-tenant-form.js';

const PAGE_SIZE = 50;
const SEARCH_DELAY_MS = 250;

/** All tenants, searchable, and the form that creates one. */
export function TenantsPage() {
  const api = useApi();
  const [search, setSearch] = useState('');
  const query = useDebounced(search.trim(), SEARCH_DELAY_MS);
  const [more, setMore] = useState<{ items: readonly Tenant[]; nextCursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);

  useEffect(() => {
    document.title = 'Tenants · corsmesh admin';
  }, []);

  const { state, reload } = useAsync(
    (signal) => api.get<Page<Tenant>>('/tenants', { query: { limit: PAGE_SIZE, search: query }, signal }),
    [api, query],
  );
  useEffect(() => setMore(null), [state]);

  const firstPage = state.data;
  const items = [...(firstPage?.items ?? []), ...(more?.items ?? [])];
  const nextCursor = more ? more.nextCursor : (firstPage?.nextCursor ?? null);

  const loadMore = async () => {
    if (nextCursor === null) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await api.get<Page<Tenant>>('/tenants', { query: { limit: PAGE_SIZE, search: query, cursor: nextCursor } });
      setMore({ items: [...(more?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  };

  // Set by the tenant's settings after it was deleted (`/?deleted=<slug>`).
  const deleted = new URLSearchParams(window.location.search).get('deleted');
  const forbidden = state.status === 'error' && state.error instanceof ApiError && state.error.status === 403;

  return (
    <section class="page">
      <div class="page-head">
        <h1 tabIndex={-1}>Tenants</h1>
        <p class="lede">Each tenant has its own CORS policy and allowed origins, applied by every gateway within a second.</p>
      </div>
      {deleted ? <SuccessNotice>Deleted the tenant {deleted}.</SuccessNotice> : null}
      <div class="layout-split">
        <div class="layout-main">
          {forbidden ? (
            <OpenTenantByKey />
          ) : (
            <section aria-labelledby="tenant-list-title" class="card">
              <div class="card-head">
                <h2 id="tenant-list-title">All tenants</h2>
              </div>
              <div class="field search">
                <label for="tenant-search">Search tenants</label>
                <input
                  id="tenant-search"
                  type="search"
                  value={search}
                  placeholder="Slug or name"
                  spellcheck={false}
                  onInput={(event) => setSearch((event.currentTarget as HTMLInputElement).value)}
                />
              </div>
              {state.status === 'error' ? (
                <ErrorNotice error={state.error} title="The tenants could not be loaded.">
                  <button type="button" class="button" onClick={reload}>
                    Try again
                  </button>
                </ErrorNotice>
              ) : state.status === 'loading' && firstPage === undefined ? (
                <Loading label="Loading tenants…" />
              ) : items.length === 0 ? (
                query === '' ? (
                  <EmptyState title="No tenants yet.">Create the first one with the form “New tenant”.</EmptyState>
                ) : (
                  <EmptyState title={`No tenant matches “${query}”.`}>Search looks at slugs and names.</EmptyState>
                )
              ) : (
                <>
                  <p class="visually-hidden" role="status">
                    {items.length === 1 ? '1 tenant' : `${items.length} tenants`}
                    {query ? ` matching ${query}` : ''}
                  </p>
                  <TenantTable tenants={items} busy={state.status === 'loading'} />
                  {moreError ? <ErrorNotice error={moreError} title="More tenants could not be loaded." /> : null}
                  {nextCursor !== null ? (
                    <div class="actions">
                      <button type="button" class="button" disabled={loadingMore} onClick={() => void loadMore()}>
                        {loadingMore ? 'Loading…' : 'Load more tenants'}
                      </button>
                    </div>
                  ) : null}
                </>
              )}
            </section>
          )}
        </div>
        {forbidden ? null : (
          <aside class="layout-side">
            <CreateTenantForm onCreated={(tenant) => navigate(tenantHref(tenant.slug))} />
          </aside>
        )}
      </div>
    </section>
  );
}

function TenantTable({ tenants, busy }: { tenants: readonly Tenant[]; busy: boolean }) {
  return (
    <table class="table table-stack" aria-busy={busy ? 'true' : undefined}>
      <thead>
        <tr>
          <th scope="col">Tenant</th>
          <th scope="col">Hostnames</th>
          <th scope="col">Upstream</th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {tenants.map((tenant) => (
          <tr key={tenant.id} data-testid="tenant-row">
            <td data-label="Tenant">
              <Link href={tenantHref(tenant.slug)} class="strong-link">
                {tenant.name}
              </Link>
              <div class="muted mono">{tenant.slug}</div>
            </td>
            <td data-label="Hostnames">
              {tenant.hostnames.length ? <span class="mono">{tenant.hostnames.join(', ')}</span> : <span class="muted">—</span>}
            </td>
            <td data-label="Upstream">
              {tenant.upstreamUrl ? <span class="mono break">{tenant.upstreamUrl}</span> : <span class="muted">echo handler</span>}
            </td>
            <td data-label="Created">
              <Timestamp iso={tenant.createdAt} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** A tenant API key cannot list tenants; it opens its own tenant by slug. */
function OpenTenantByKey() {
  const [slug, setSlug] = useState('');
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <section class="card" aria-labelledby="open-tenant-title">
      <h2 id="open-tenant-title">Open your tenant</h2>
      <p>You signed in with a tenant API key: it manages one tenant and cannot list the others.</p>
      <form
        class="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (slug.trim()) navigate(tenantHref(slug.trim()));
          else inputRef.current?.focus();
        }}
      >
        <div class="field">
          <label for="open-tenant-slug">Tenant slug</label>
          <input id="open-tenant-slug" ref={inputRef} value={slug} spellcheck={false} onInput={(event) => setSlug((event.currentTarget as HTMLInputElement).value)} />
        </div>
        <button type="submit" class="button button-primary">
          Open
        </button>
      </form>
      <p class="hint">
        Or go to <code>/tenants/&lt;slug&gt;</code> in the address bar.
      </p>
    </section>
  );
}

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}
