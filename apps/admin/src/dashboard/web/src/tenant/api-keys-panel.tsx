import { useEffect, useRef, useState } from 'preact/hooks';
import { path } from '../api/api-client.js';
import { useApi } from '../api/api-context.js';
import { ApiError } from '../api/api-error.js';
import type { ApiKey, CreatedApiKey, ItemList, Tenant } from '../api/types.js';
import { ConfirmButton } from '../ui/confirm-button.js';
import { EmptyState, ErrorNotice, Loading, SuccessNotice, Timestamp } from '../ui/feedback.js';
import { Field } from '../ui/field.js';
import { useAsync } from '../ui/use-async.js';

/** Keys that manage this tenant only: create one (its secret is shown once) or revoke one. */
export function ApiKeysPanel({ tenant }: { tenant: Tenant }) {
  const api = useApi();
  const resource = path('tenants', tenant.slug, 'api-keys');
  const { state, reload, set } = useAsync((signal) => api.get<ItemList<ApiKey>>(resource, { signal }), [api, resource]);
  const [created, setCreated] = useState<CreatedApiKey | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [revokeError, setRevokeError] = useState<unknown>(null);
  const keys = state.data?.items ?? [];

  const revoke = async (key: ApiKey) => {
    setRevokeError(null);
    setNotice(null);
    try {
      await api.delete(path('tenants', tenant.slug, 'api-keys', key.id));
      set({ items: keys.map((other) => (other.id === key.id ? { ...other, revokedAt: new Date().toISOString() } : other)) });
      setNotice(`Revoked “${key.name}”. It no longer works.`);
      reload();
    } catch (error) {
      setRevokeError(error);
    }
  };

  return (
    <div class="stack">
      {created ? (
        <NewSecret
          apiKey={created}
          onDone={() => {
            setCreated(null);
          }}
        />
      ) : (
        <CreateKeyForm
          resource={resource}
          onCreated={(key) => {
            setCreated(key);
            setNotice(null);
            const { secret: _secret, ...listed } = key;
            set({ items: [...keys, listed] });
          }}
        />
      )}
      <section class="card" aria-labelledby="keys-title">
        <div class="card-head">
          <h2 id="keys-title">API keys</h2>
          <p class="hint">
            A key manages this tenant only, through the API or this dashboard. Its secret is shown once, when it is created.
          </p>
        </div>
        {notice ? <SuccessNotice>{notice}</SuccessNotice> : null}
        {revokeError ? <ErrorNotice error={revokeError} title="The key was not revoked." /> : null}
        {state.status === 'error' ? (
          <ErrorNotice error={state.error} title="The keys could not be loaded.">
            <button type="button" class="button" onClick={reload}>
              Try again
            </button>
          </ErrorNotice>
        ) : state.status === 'loading' && state.data === undefined ? (
          <Loading label="Loading API keys…" />
        ) : keys.length === 0 ? (
          <EmptyState title="No API keys yet.">Create one for a deploy pipeline or the tenant’s own team.</EmptyState>
        ) : (
          <ul class="rule-list" aria-label="API keys">
            {keys.map((key) => (
              <li key={key.id} class={`rule${key.revokedAt ? ' rule-revoked' : ''}`} data-testid="api-key">
                <div class="rule-main">
                  <strong>{key.name}</strong>
                  <code class="muted">cmk_{key.prefix}_…</code>
                  {key.revokedAt ? <span class="badge badge-refused">revoked</span> : <span class="badge badge-allowed">active</span>}
                  <span class="muted small">
                    created <Timestamp iso={key.createdAt} />
                    {key.revokedAt ? (
                      <>
                        , revoked <Timestamp iso={key.revokedAt} />
                      </>
                    ) : null}
                  </span>
                </div>
                {key.revokedAt ? null : (
                  <ConfirmButton
                    label="Revoke"
                    accessibleLabel={`Revoke ${key.name}`}
                    question={<>Revoke “{key.name}”? Anything using it is refused from now on. This cannot be undone.</>}
                    confirmLabel="Yes, revoke"
                    onConfirm={() => revoke(key)}
                  />
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function CreateKeyForm({ resource, onCreated }: { resource: string; onCreated: (key: CreatedApiKey) => void }) {
  const api = useApi();
  const [name, setName] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onCreated(await api.post<CreatedApiKey>(resource, { name: name.trim() }));
      setName('');
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const atField = error instanceof ApiError && error.status === 400 ? (error.reasonFor('name') ?? error.detail) : undefined;

  return (
    <section class="card" aria-labelledby="create-key-title">
      <h2 id="create-key-title">New API key</h2>
      <form class="inline-form" onSubmit={(event) => void submit(event)} noValidate>
        <Field class="field-grow" label="What is it for?" name="keyName" required value={name} onValue={setName} error={atField} placeholder="CI deploy" />
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create key'}
        </button>
      </form>
      {error !== null && atField === undefined ? <ErrorNotice error={error} title="The key was not created." /> : null}
    </section>
  );
}

/** The secret of a key just created, shown this once. */
function NewSecret({ apiKey, onDone }: { apiKey: CreatedApiKey; onDone: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const secretRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    secretRef.current?.focus();
    secretRef.current?.select();
  }, []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(apiKey.secret);
      setCopied('Copied to the clipboard.');
    } catch {
      // No clipboard access (an insecure context or a refused permission): let the person copy it.
      secretRef.current?.select();
      setCopied('Select the secret and copy it by hand (Ctrl+C or ⌘C).');
    }
  };

  return (
    <section class="card card-highlight" aria-labelledby="secret-title" data-testid="new-secret">
      <h2 id="secret-title">Copy the secret of “{apiKey.name}” now</h2>
      <p>It is shown only this once: only its hash is stored. Send it as <code>Authorization: Bearer &lt;secret&gt;</code>.</p>
      <div class="field">
        <label for="new-secret">Secret</label>
        <div class="secret-row">
          <input id="new-secret" ref={secretRef} class="mono" readOnly value={apiKey.secret} spellcheck={false} />
          <button type="button" class="button" onClick={() => void copy()}>
            Copy
          </button>
        </div>
      </div>
      <p role="status" class="small">
        {copied ?? ''}
      </p>
      <div class="actions">
        <button type="button" class="button button-primary" onClick={onDone}>
          I have copied it
        </button>
      </div>
    </section>
  );
}
