import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiClient } from '../api/api-client.js';
import { ApiError } from '../api/api-error.js';
import { Field } from '../ui/field.js';

/**
 * Sign-in with the root token or an API key. The token is checked against the API before it
 * is kept; the form posts nowhere, so the token can never end up in a URL.
 */
export function SignInPage({ onSignedIn, notice }: { onSignedIn: (token: string) => void; notice: string | null }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement | HTMLTextAreaElement>(null);

  useEffect(() => {
    document.title = 'Sign in · corsmesh admin';
    inputRef.current?.focus();
  }, []);

  const submit = async (event: Event) => {
    event.preventDefault();
    const candidate = token.trim();
    if (candidate === '') {
      setError('Enter the admin token or an API key.');
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await new ApiClient(candidate).get('/tenants', { query: { limit: 1 } });
      onSignedIn(candidate);
    } catch (caught) {
      // 403: a tenant API key, valid but not allowed to list tenants; it can still open its tenant.
      if (caught instanceof ApiError && caught.status === 403) onSignedIn(candidate);
      else {
        setError(caught instanceof ApiError && caught.status === 401 ? `The token was refused: ${caught.detail}` : (caught as Error).message);
        inputRef.current?.focus();
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="page page-narrow">
      <h1 tabIndex={-1}>Sign in</h1>
      {notice ? (
        <p class="notice notice-info" role="status">
          {notice}
        </p>
      ) : null}
      <form class="card" method="post" onSubmit={(event) => void submit(event)} noValidate>
        <Field
          label="Admin token or API key"
          type="password"
          name="token"
          autoComplete="current-password"
          required
          value={token}
          onValue={setToken}
          error={error}
          inputRef={inputRef}
          hint="The ADMIN_TOKEN of this deployment, or a tenant API key. It is kept in this tab only, until you sign out or close it."
        />
        <div class="actions">
          <button type="submit" class="button button-primary" disabled={busy}>
            {busy ? 'Checking…' : 'Sign in'}
          </button>
        </div>
      </form>
    </section>
  );
}
