import { useState } from 'preact/hooks';
import { path } from '../api/api-client.js';
import { useApi } from '../api/api-context.js';
import { ApiError } from '../api/api-error.js';
import type { CheckRequest, CheckResult, Tenant } from '../api/types.js';
import { ErrorNotice } from '../ui/feedback.js';
import { Checkbox, Field } from '../ui/field.js';
import { splitNames } from './policy-form.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

/** "Would the gateway let this page make this request?", answered by the API's check endpoint. */
export function CheckPanel({ tenant }: { tenant: Tenant }) {
  const api = useApi();
  const [origin, setOrigin] = useState('');
  const [method, setMethod] = useState('GET');
  const [headers, setHeaders] = useState('');
  const [credentials, setCredentials] = useState(false);
  const [result, setResult] = useState<{ request: CheckRequest; answer: CheckResult } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const request: CheckRequest = {
      origin: origin.trim(),
      method: method.trim(),
      ...(splitNames(headers).length ? { requestHeaders: splitNames(headers) } : {}),
      credentials,
    };
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<CheckResult>(path('tenants', tenant.slug, 'check'), request);
      setResult({ request, answer });
    } catch (caught) {
      setError(caught);
      setResult(null);
    } finally {
      setBusy(false);
    }
  };

  const invalid = error instanceof ApiError && error.status === 400 ? error : null;
  const placed = ['origin', 'method', 'requestHeaders'];
  const unplaced = invalid?.invalidFields.some((field) => !placed.some((name) => invalid.reasonsFor(name).includes(field))) ?? false;

  return (
    <div class="stack">
      <section class="card" aria-labelledby="check-title">
        <div class="card-head">
          <h2 id="check-title">Test an origin</h2>
          <p class="hint">Ask what the gateway would answer a browser on this origin, with the policy as it is now. Nothing is changed.</p>
        </div>
        <form onSubmit={(event) => void submit(event)} noValidate class="check-form">
          <Field
            class="field-grow"
            label="Origin of the page"
            name="checkOrigin"
            required
            value={origin}
            onValue={setOrigin}
            placeholder="https://app.example.com"
            error={invalid?.reasonFor('origin')}
          />
          <div class="field">
            <label for="check-method">Method</label>
            <input
              id="check-method"
              list="check-methods"
              value={method}
              spellcheck={false}
              aria-invalid={invalid?.reasonFor('method') ? 'true' : undefined}
              aria-describedby={invalid?.reasonFor('method') ? 'check-method-error' : undefined}
              onInput={(event) => setMethod((event.currentTarget as HTMLInputElement).value)}
            />
            <datalist id="check-methods">
              {METHODS.map((name) => (
                <option key={name} value={name} />
              ))}
            </datalist>
            {invalid?.reasonFor('method') ? (
              <p class="field-error" id="check-method-error">
                {invalid.reasonFor('method')}
              </p>
            ) : null}
          </div>
          <Field
            class="field-grow"
            label="Request headers"
            name="checkHeaders"
            value={headers}
            onValue={setHeaders}
            placeholder="Content-Type, X-Api-Version"
            hint="Headers the page sets itself, comma-separated."
            error={invalid?.reasonFor('requestHeaders')}
          />
          <Checkbox
            label="With credentials"
            checked={credentials}
            onChecked={setCredentials}
            description="The page sends cookies or Authorization (fetch with credentials: 'include')."
          />
          <div class="actions">
            <button type="submit" class="button button-primary" disabled={busy}>
              {busy ? 'Checking…' : 'Check'}
            </button>
          </div>
        </form>
        {error !== null && (invalid === null || unplaced) ? <ErrorNotice error={error} title="The check failed." /> : null}
      </section>
      <div aria-live="polite">{result ? <CheckAnswer request={result.request} answer={result.answer} /> : null}</div>
    </div>
  );
}

function CheckAnswer({ request, answer }: { request: CheckRequest; answer: CheckResult }) {
  const headerEntries = Object.entries(answer.headers);
  const corsHeaderCount = headerEntries.filter(([name]) => name.startsWith('access-control-')).length;
  const verdict = answer.allowed ? 'Allowed' : answer.blocked ? 'Refused' : 'Not allowed, but not blocked (report-only)';
  return (
    <section class={`card verdict ${answer.allowed ? 'verdict-allowed' : 'verdict-refused'}`} aria-labelledby="verdict-title" data-testid="check-result">
      <div class="verdict-head">
        <span class={`badge ${answer.allowed ? 'badge-allowed' : 'badge-refused'}`}>{answer.allowed ? '✓' : '✕'}</span>
        <div>
          <h2 id="verdict-title">{verdict}</h2>
          <p class="muted">
            {request.method} from <span class="mono break">{request.origin}</span>
            {answer.kind === 'preflight' ? ', after a preflight' : ', no preflight needed'} · policy version {answer.policyVersion}
            {answer.mode === 'report-only' ? ' · report-only mode' : ''}
          </p>
        </div>
      </div>
      <dl class="details">
        <dt>Matched rule</dt>
        <dd>
          {answer.matchedRule ? (
            <>
              <code class="break">{answer.matchedRule.value}</code> <span class={`badge badge-${answer.matchedRule.kind}`}>{answer.matchedRule.kind}</span>
            </>
          ) : (
            <span class="muted">none</span>
          )}
        </dd>
        <dt>Why</dt>
        <dd>
          <ul class="reasons">
            {answer.reasons.map((reason, index) => (
              <li key={index}>{reason}</li>
            ))}
          </ul>
        </dd>
        {answer.warnings.length ? (
          <>
            <dt>Warnings</dt>
            <dd>
              <ul class="reasons">
                {answer.warnings.map((warning, index) => (
                  <li key={index}>{warning}</li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
      </dl>
      <h3>Headers the gateway would send</h3>
      {corsHeaderCount === 0 ? (
        <p class="muted">
          No Access-Control-* headers: {answer.allowed ? 'none are needed for this request.' : 'the browser would not let the page read the response.'}
        </p>
      ) : null}
      {headerEntries.length ? (
        <table class="table headers-table">
          <thead>
            <tr>
              <th scope="col">Header</th>
              <th scope="col">Value</th>
            </tr>
          </thead>
          <tbody>
            {headerEntries.map(([name, value]) => (
              <tr key={name}>
                <td class="mono">{name}</td>
                <td class="mono break">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
