import { useEffect } from 'preact/hooks';
import { path } from '../api/api-client.js';
import { useApi } from '../api/api-context.js';
import { ApiError } from '../api/api-error.js';
import type { Tenant } from '../api/types.js';
import { Link, type TenantSection, tenantHref } from '../router.js';
import { ApiKeysPanel } from '../tenant/api-keys-panel.js';
import { AuditPanel } from '../tenant/audit-panel.js';
import { CheckPanel } from '../tenant/check-panel.js';
import { HistoryPanel } from '../tenant/history-panel.js';
import { OriginsPanel } from '../tenant/origins-panel.js';
import { PolicyPanel } from '../tenant/policy-panel.js';
import { SettingsPanel } from '../tenant/settings-panel.js';
import { TrafficPanel } from '../traffic/traffic-panel.js';
import { ErrorNotice, Loading } from '../ui/feedback.js';
import { useAsync } from '../ui/use-async.js';

const SECTION_TITLES: Record<TenantSection, string> = {
  origins: 'Origins',
  policy: 'Policy',
  traffic: 'Traffic',
  check: 'Test an origin',
  history: 'History',
  audit: 'Audit log',
  keys: 'API keys',
  settings: 'Settings',
};

/** One tenant: its origins, policy, the origin tester, history, audit log, API keys and settings, one section at a time. */
export function TenantPage({ slug, section }: { slug: string; section: TenantSection }) {
  const api = useApi();
  const { state, reload, set } = useAsync((signal) => api.get<Tenant>(path('tenants', slug), { signal }), [api, slug]);

  useEffect(() => {
    const name = state.status === 'ready' ? state.data.name : slug;
    document.title = `${SECTION_TITLES[section]} · ${name} · corsmesh admin`;
  }, [state, slug, section]);

  // Every state renders the heading at the same place, so the element (and the focus a
  // navigation gave it) survives the tenant's arrival.
  const tenant = state.data;
  const missing = state.status === 'error' && state.error instanceof ApiError && state.error.status === 404;
  return (
    <section class="page">
      <Breadcrumbs current={tenant?.name ?? slug} />
      <h1 tabIndex={-1}>{tenant?.name ?? (missing ? 'No such tenant' : slug)}</h1>
      {tenant === undefined ? (
        state.status === 'error' ? (
          <ErrorNotice error={state.error} title={missing ? `There is no tenant “${slug}”.` : 'The tenant could not be loaded.'}>
            {missing ? (
              <p>
                <Link href="/">Back to the tenants</Link>
              </p>
            ) : (
              <button type="button" class="button" onClick={reload}>
                Try again
              </button>
            )}
          </ErrorNotice>
        ) : (
          <Loading label="Loading the tenant…" />
        )
      ) : (
        <>
          <dl class="facts">
            <div>
              <dt>Slug</dt>
              <dd class="mono">{tenant.slug}</dd>
            </div>
            <div>
              <dt>Gateway path</dt>
              <dd class="mono">/t/{tenant.slug}/</dd>
            </div>
            <div>
              <dt>Hostnames</dt>
              <dd class="mono">{tenant.hostnames.length ? tenant.hostnames.join(', ') : '—'}</dd>
            </div>
            <div>
              <dt>Upstream</dt>
              <dd class="mono break">{tenant.upstreamUrl ?? 'echo handler'}</dd>
            </div>
          </dl>
          <nav class="tabs" aria-label="Tenant sections">
            {(Object.keys(SECTION_TITLES) as TenantSection[]).map((key) => (
              <Link key={key} href={tenantHref(tenant.slug, key)} class="tab" aria-current={key === section ? 'page' : undefined}>
                {SECTION_TITLES[key]}
              </Link>
            ))}
          </nav>
          <div class="tab-panel">
            <Section tenant={tenant} section={section} onChanged={set} />
          </div>
        </>
      )}
    </section>
  );
}

function Section({ tenant, section, onChanged }: { tenant: Tenant; section: TenantSection; onChanged: (tenant: Tenant) => void }) {
  switch (section) {
    case 'origins':
      return <OriginsPanel tenant={tenant} />;
    case 'policy':
      return <PolicyPanel tenant={tenant} />;
    case 'traffic':
      return <TrafficPanel tenant={tenant} />;
    case 'check':
      return <CheckPanel tenant={tenant} />;
    case 'audit':
      return <AuditPanel tenant={tenant} />;
    case 'history':
      return <HistoryPanel tenant={tenant} />;
    case 'keys':
      return <ApiKeysPanel tenant={tenant} />;
    case 'settings':
      return <SettingsPanel tenant={tenant} onChanged={onChanged} />;
  }
}

function Breadcrumbs({ current }: { current: string }) {
  return (
    <nav aria-label="Breadcrumb" class="breadcrumbs">
      <ol>
        <li>
          <Link href="/">Tenants</Link>
        </li>
        <li aria-current="page">{current}</li>
      </ol>
    </nav>
  );
}
