import { useState } from 'preact/hooks';
import { useApi } from '../api/api-context.js';
import { ApiError, indexIn } from '../api/api-error.js';
import type { Tenant } from '../api/types.js';
import { ErrorNotice } from '../ui/feedback.js';
import { Field } from '../ui/field.js';

/** Splits a list typed with commas, spaces or new lines. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** `POST /tenants`, with each refused field's reason shown at that field. */
export function CreateTenantForm({ onCreated }: { onCreated: (tenant: Tenant) => void }) {
  const api = useApi();
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [hostnames, setHostnames] = useState('');
  const [upstreamUrl, setUpstreamUrl] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    setBusy(true);
    setError(null);
    try {
      const hostnameList = splitList(hostnames);
      const tenant = await api.post<Tenant>('/tenants', {
        slug: slug.trim(),
        name: name.trim(),
        ...(hostnameList.length ? { hostnames: hostnameList } : {}),
        ...(upstreamUrl.trim() ? { upstreamUrl: upstreamUrl.trim() } : {}),
      });
      onCreated(tenant);
    } catch (caught) {
      setError(caught);
      // Focus the first refused field, so the reason is read out where it applies.
      setTimeout(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : undefined;
  const conflict = apiError?.status === 409 ? apiError.detail : undefined;
  const hostnameErrors = (apiError?.reasonsFor('hostnames') ?? []).map((invalid) => {
    const index = indexIn(invalid.field, 'hostnames');
    const value = index === undefined ? undefined : splitList(hostnames)[index];
    return value === undefined ? invalid.reason : `${value}: ${invalid.reason}`;
  });
  const fieldErrorShown = Boolean(conflict || apiError?.invalidFields.length);

  return (
    <section class="card" aria-labelledby="create-tenant-title">
      <h2 id="create-tenant-title">New tenant</h2>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label="Slug"
          name="slug"
          required
          value={slug}
          onValue={setSlug}
          error={conflict ?? apiError?.reasonFor('slug')}
          hint={
            <>
              Lower-case letters, digits and hyphens. The gateway serves the tenant at <code>/t/{slug.trim() || 'slug'}/</code>.
            </>
          }
        />
        <Field label="Name" name="name" required value={name} onValue={setName} error={apiError?.reasonFor('name')} />
        <Field
          label="Hostnames"
          name="hostnames"
          value={hostnames}
          onValue={setHostnames}
          error={hostnameErrors.length ? hostnameErrors : undefined}
          hint="Hosts routed to this tenant, separated by commas or spaces, e.g. api.acme.example"
        />
        <Field
          label="Upstream URL"
          name="upstreamUrl"
          type="url"
          value={upstreamUrl}
          onValue={setUpstreamUrl}
          error={apiError?.reasonFor('upstreamUrl')}
          hint="Where the gateway forwards requests. Empty: the built-in echo handler answers."
        />
        {error !== null && !fieldErrorShown ? <ErrorNotice error={error} title="The tenant was not created." /> : null}
        <div class="actions">
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create tenant'}
          </button>
        </div>
      </form>
    </section>
  );
}
