import { useState } from 'preact/hooks';
import { useApi } from '../api/api-context.js';
import { ApiError } from '../api/api-error.js';
import type { Tenant } from '../api/types.js';
import { ErrorNotice } from '../ui/feedback.js';
import { Field } from '../ui/field.js';
import { useFormSubmit } from '../ui/use-form-submit.js';
import { splitList, TenantFields } from './tenant-fields.js';

/** `POST /tenants`, with each refused field's reason shown at that field. */
export function CreateTenantForm({ onCreated }: { onCreated: (tenant: Tenant) => void }) {
  const api = useApi();
  const [slug, setSlug] = useState('');
  const [name, setName] = useState('');
  const [hostnames, setHostnames] = useState('');
  const [upstreamUrl, setUpstreamUrl] = useState('');
  const { submit, error, busy } = useFormSubmit(async () => {
    const hostnameList = splitList(hostnames);
    const tenant = await api.post<Tenant>('/tenants', {
      slug: slug.trim(),
      name: name.trim(),
      ...(hostnameList.length ? { hostnames: hostnameList } : {}),
      ...(upstreamUrl.trim() ? { upstreamUrl: upstreamUrl.trim() } : {}),
    });
    onCreated(tenant);
  });

  const apiError = error instanceof ApiError ? error : undefined;
  const conflict = apiError?.status === 409 ? apiError.detail : undefined;
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
        <TenantFields
          name={name}
          onName={setName}
          hostnames={hostnames}
          onHostnames={setHostnames}
          upstreamUrl={upstreamUrl}
          onUpstreamUrl={setUpstreamUrl}
          error={apiError}
          hostnamesHint="Hosts routed to this tenant, separated by commas or spaces, e.g. api.acme.example"
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
