import { useState } from 'preact/hooks';
import { path } from '../api/api-client.js';
import { useApi } from '../api/api-context.js';
import { ApiError } from '../api/api-error.js';
import type { Tenant } from '../api/types.js';
import { splitList, TenantFields } from '../pages/tenant-fields.js';
import { navigate } from '../router.js';
import { ErrorNotice, SuccessNotice } from '../ui/feedback.js';
import { Field } from '../ui/field.js';
import { useFormSubmit } from '../ui/use-form-submit.js';

/** The tenant itself: its name, hostnames and upstream, and deleting it. Both need the root token. */
export function SettingsPanel({ tenant, onChanged }: { tenant: Tenant; onChanged: (tenant: Tenant) => void }) {
  return (
    <div class="stack">
      <EditTenantForm tenant={tenant} onChanged={onChanged} />
      <DeleteTenant tenant={tenant} />
    </div>
  );
}

function EditTenantForm({ tenant, onChanged }: { tenant: Tenant; onChanged: (tenant: Tenant) => void }) {
  const api = useApi();
  const [name, setName] = useState(tenant.name);
  const [hostnames, setHostnames] = useState(tenant.hostnames.join(', '));
  const [upstreamUrl, setUpstreamUrl] = useState(tenant.upstreamUrl ?? '');
  const [saved, setSaved] = useState(false);
  const { submit, error, busy } = useFormSubmit(async () => {
    setSaved(false);
    const changed = await api.send<Tenant>('PATCH', path('tenants', tenant.slug), {
      body: { name: name.trim(), hostnames: splitList(hostnames), upstreamUrl: upstreamUrl.trim() === '' ? null : upstreamUrl.trim() },
    });
    setSaved(true);
    onChanged(changed.data);
  });

  const apiError = error instanceof ApiError ? error : undefined;
  const atField = Boolean(apiError?.invalidFields.length);

  return (
    <section class="card" aria-labelledby="edit-tenant-title">
      <h2 id="edit-tenant-title">Tenant</h2>
      <form onSubmit={(event) => void submit(event)} noValidate aria-label="Edit the tenant">
        <TenantFields
          name={name}
          onName={setName}
          hostnames={hostnames}
          onHostnames={setHostnames}
          upstreamUrl={upstreamUrl}
          onUpstreamUrl={setUpstreamUrl}
          error={apiError}
          hostnamesHint="Hosts routed to this tenant, separated by commas or spaces. Empty: only /t/<slug>/ on the gateway."
        />
        {saved ? <SuccessNotice>Saved. Gateways route by the new settings within a second.</SuccessNotice> : null}
        {error !== null && !atField ? <ErrorNotice error={error} title="The tenant was not changed." /> : null}
        <div class="actions">
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save tenant'}
          </button>
        </div>
      </form>
    </section>
  );
}

function DeleteTenant({ tenant }: { tenant: Tenant }) {
  const api = useApi();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const remove = async (event: Event) => {
    event.preventDefault();
    if (typed !== tenant.slug) return;
    setBusy(true);
    setError(null);
    try {
      await api.delete(path('tenants', tenant.slug));
      navigate(`/?deleted=${encodeURIComponent(tenant.slug)}`);
    } catch (caught) {
      setError(caught);
      setBusy(false);
    }
  };

  return (
    <section class="card card-danger" aria-labelledby="delete-tenant-title">
      <h2 id="delete-tenant-title">Delete this tenant</h2>
      <p>
        Deletes <strong>{tenant.name}</strong> with its policy, origins, history and API keys. Gateways answer 404 for it within a
        second. The audit log keeps the deletion. This cannot be undone.
      </p>
      <form onSubmit={(event) => void remove(event)} noValidate aria-label="Delete the tenant">
        <Field
          label={`Type ${tenant.slug} to confirm`}
          name="confirm-slug"
          required
          value={typed}
          onValue={setTyped}
          autoComplete="off"
        />
        {error ? <ErrorNotice error={error} title="The tenant was not deleted." /> : null}
        <div class="actions">
          <button type="submit" class="button button-danger" disabled={busy || typed !== tenant.slug}>
            {busy ? 'Deleting…' : 'Delete tenant'}
          </button>
        </div>
      </form>
    </section>
  );
}
