import { useState } from 'preact/hooks';
import { path } from '../api/api-client.js';
import { useApi } from '../api/api-context.js';
import { ApiError, indexIn, type InvalidField } from '../api/api-error.js';
import type { Policy, PolicyMode, Tenant } from '../api/types.js';
import { ErrorNotice, Loading, SuccessNotice, Timestamp } from '../ui/feedback.js';
import { Checkbox, Field } from '../ui/field.js';
import { useAsync } from '../ui/use-async.js';
import { ImpactPreview } from '../traffic/impact-preview.js';
import { PathRulesEditor } from './path-rules-editor.js';
import { COMMON_METHODS, fieldsOf, formOf, isChanged, type PolicyForm, splitNames } from './policy-form.js';

const MODES: readonly { value: PolicyMode; label: string; description: string }[] = [
  { value: 'enforce', label: 'Enforce', description: 'Refused requests get 403 and no CORS headers.' },
  { value: 'report-only', label: 'Report only', description: 'Decide and log, but never block: for trying a policy out.' },
];

/**
 * The tenant's CORS policy. Saving sends the version the form was loaded from (`If-Match`), so
 * a change made meanwhile by someone else is never overwritten silently: the API answers 412
 * and the page says so.
 */
export function PolicyPanel({ tenant }: { tenant: Tenant }) {
  const api = useApi();
  const resource = path('tenants', tenant.slug, 'policy');
  const { state, reload, set } = useAsync((signal) => api.get<Policy>(resource, { signal }), [api, resource]);
  // The administrator's edits, and the loaded policy they were made on: a freshly loaded policy
  // (first load, "load the latest version", a save) replaces them. Derived in the render rather
  // than copied in an effect, so a new version is never shown beside the old values for a frame.
  const [draft, setDraft] = useState<{ readonly basedOn: Policy; readonly form: PolicyForm } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [previewing, setPreviewing] = useState(false);

  const policy = state.data;

  if (state.status === 'error' && policy === undefined) {
    return (
      <ErrorNotice error={state.error} title="The policy could not be loaded.">
        <button type="button" class="button" onClick={reload}>
          Try again
        </button>
      </ErrorNotice>
    );
  }
  if (policy === undefined) return <Loading label="Loading the policy…" />;
  const form = draft !== null && draft.basedOn === policy ? draft.form : formOf(policy);

  const update = (patch: Partial<PolicyForm>) => {
    setDraft({ basedOn: policy, form: { ...form, ...patch } });
    setSaved(null);
    setPreviewing(false);
  };
  const changed = isChanged(form, policy);

  const save = async (event: Event) => {
    event.preventDefault();
    const formElement = event.currentTarget as HTMLFormElement;
    setBusy(true);
    setError(null);
    setSaved(null);
    try {
      const response = await api.send<Policy>('PUT', resource, {
        body: fieldsOf(form),
        headers: { 'if-match': `"${policy.version}"` },
      });
      set(response.data);
      setPreviewing(false);
      setSaved(`Saved as version ${response.data.version}. Gateways apply it within a second.`);
    } catch (caught) {
      setError(caught);
      setTimeout(() => formElement.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  const stale = apiError?.status === 412;
  const invalid = apiError?.status === 400 ? apiError : null;
  const listErrors = (field: 'allowedHeaders' | 'exposedHeaders', text: string) =>
    describeEntries(invalid?.reasonsFor(field) ?? [], field, splitNames(text));
  const methodErrors = describeEntries(invalid?.reasonsFor('allowedMethods') ?? [], 'allowedMethods', fieldsOf(form).allowedMethods);
  const shownAtFields = [
    'allowedMethods',
    'allowedHeaders',
    'exposedHeaders',
    'allowCredentials',
    'maxAge',
    'allowPrivateNetwork',
    'mode',
    'pathRules',
    'preflightStatus',
    'timingAllowOrigin',
    'debugHeader',
  ];
  const unplaced = invalid?.invalidFields.filter((field) => !shownAtFields.some((name) => invalid.reasonsFor(name).includes(field))) ?? [];

  return (
    <section class="card" aria-labelledby="policy-title">
      <div class="card-head">
        <h2 id="policy-title">CORS policy</h2>
        <p class="hint">
          Version {policy.version}, changed <Timestamp iso={policy.updatedAt} />.
        </p>
      </div>
      {policy.warnings.length ? (
        <div class="notice notice-warning" role="status" aria-label="Policy warnings">
          <strong class="notice-title">Saved, but browsers will not do all of it:</strong>
          <ul>
            {policy.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <form onSubmit={(event) => void save(event)} noValidate class="policy-form">
        <fieldset class="fieldset" aria-describedby={methodErrors.length ? 'methods-error' : undefined}>
          <legend>Allowed methods</legend>
          <p class="hint">Only the methods checked here are allowed cross-origin, GET, HEAD and POST included.</p>
          <div class="checkbox-row">
            {COMMON_METHODS.map((method) => (
              <label key={method} class="chip">
                <input
                  type="checkbox"
                  name="allowedMethods"
                  value={method}
                  checked={form.methods.has(method)}
                  onChange={(event) => {
                    const methods = new Set(form.methods);
                    if ((event.currentTarget as HTMLInputElement).checked) methods.add(method);
                    else methods.delete(method);
                    update({ methods });
                  }}
                />
                {method}
              </label>
            ))}
          </div>
          <Field
            label="Other methods"
            name="otherMethods"
          markOptional={false}
            value={form.otherMethods}
            onValue={(otherMethods) => update({ otherMethods })}
            hint="Comma-separated, e.g. PROPFIND; * allows any method."
          />
          {methodErrors.length ? (
            <ul class="field-error" id="methods-error">
              {methodErrors.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          ) : null}
        </fieldset>
        <Field
          label="Allowed request headers"
          name="allowedHeaders"
          markOptional={false}
          value={form.allowedHeaders}
          onValue={(allowedHeaders) => update({ allowedHeaders })}
          error={listErrors('allowedHeaders', form.allowedHeaders)}
          hint="Headers the page may send, comma-separated, e.g. Content-Type, X-Api-Version. * allows any header except Authorization."
        />
        <Field
          label="Exposed response headers"
          name="exposedHeaders"
          markOptional={false}
          value={form.exposedHeaders}
          onValue={(exposedHeaders) => update({ exposedHeaders })}
          error={listErrors('exposedHeaders', form.exposedHeaders)}
          hint="Response headers the page may read besides the safelisted ones, e.g. X-Request-Id."
        />
        <div class="grid-2">
          <Field
            label="Max age (seconds)"
            name="maxAge"
          required
            type="number"
            inputMode="numeric"
            min={0}
            value={form.maxAge}
            onValue={(maxAge) => update({ maxAge })}
            error={invalid?.reasonFor('maxAge')}
            hint="How long browsers may cache a preflight answer."
          />
          <fieldset class="fieldset">
            <legend>Mode</legend>
            {MODES.map((mode) => (
              <label key={mode.value} class="radio">
                <input type="radio" name="mode" value={mode.value} checked={form.mode === mode.value} onChange={() => update({ mode: mode.value })} />
                <span>
                  <strong>{mode.label}</strong>
                  <span class="hint"> {mode.description}</span>
                </span>
              </label>
            ))}
            {invalid?.reasonFor('mode') ? <p class="field-error">{invalid.reasonFor('mode')}</p> : null}
          </fieldset>
        </div>
        <Checkbox
          label="Allow credentials"
          name="allowCredentials"
          checked={form.allowCredentials}
          onChecked={(allowCredentials) => update({ allowCredentials })}
          error={invalid?.reasonFor('allowCredentials')}
          description="Cookies and Authorization may be sent cross-origin. Not possible while * is an allowed origin."
        />
        <Checkbox
          label="Allow private network access"
          name="allowPrivateNetwork"
          checked={form.allowPrivateNetwork}
          onChecked={(allowPrivateNetwork) => update({ allowPrivateNetwork })}
          error={invalid?.reasonFor('allowPrivateNetwork')}
          description="Answer Access-Control-Request-Private-Network, for pages on public sites calling this gateway on a private network."
        />
        <div class="grid-2">
          <fieldset class="fieldset">
            <legend>Preflight answer status</legend>
            {(['204', '200'] as const).map((status) => (
              <label key={status} class="radio">
                <input
                  type="radio"
                  name="preflightStatus"
                  value={status}
                  checked={form.preflightStatus === status}
                  onChange={() => update({ preflightStatus: status })}
                />
                <span>
                  <strong>{status}</strong>
                  <span class="hint">{status === '204' ? ' No Content (the default)' : ' OK, for old clients that expect it'}</span>
                </span>
              </label>
            ))}
            {invalid?.reasonFor('preflightStatus') ? <p class="field-error">{invalid.reasonFor('preflightStatus')}</p> : null}
          </fieldset>
          <Checkbox
            label="Send Timing-Allow-Origin"
            name="timingAllowOrigin"
            checked={form.timingAllowOrigin}
            onChecked={(timingAllowOrigin) => update({ timingAllowOrigin })}
            error={invalid?.reasonFor('timingAllowOrigin')}
            description="Allowed pages may read the response's Resource Timing (Timing-Allow-Origin: <origin>)."
          />
        </div>
        <Checkbox
          label="Send a CORS-Decision header"
          name="debugHeader"
          checked={form.debugHeader}
          onChecked={(debugHeader) => update({ debugHeader })}
          error={invalid?.reasonFor('debugHeader')}
          description="Every response says allowed or refused, with the reason code and the matched rule's id (never its value): for debugging, since any caller can read it."
        />
        <PathRulesEditor rules={form.pathRules} onRules={(pathRules) => update({ pathRules })} invalid={invalid} />
        {stale ? (
          <div class="notice notice-warning" role="alert">
            <strong class="notice-title">Someone else changed this policy after you opened it.</strong>
            <p>
              Your changes were not saved, so theirs are not lost. Load the latest version to see it (your edits here will be replaced), then make
              your changes again.
            </p>
            <button
              type="button"
              class="button"
              onClick={() => {
                setError(null);
                reload();
              }}
            >
              Load the latest version
            </button>
          </div>
        ) : error !== null && (invalid === null || unplaced.length > 0) ? (
          <ErrorNotice error={unplaced.length ? new Error(unplaced.map((f) => `${f.field}: ${f.reason}`).join('; ')) : error} title="The policy was not saved." />
        ) : null}
        {saved ? <SuccessNotice>{saved}</SuccessNotice> : null}
        {previewing && changed ? <ImpactPreview tenant={tenant} proposal={fieldsOf(form)} /> : null}
        <div class="actions">
          <button type="button" class="button" disabled={busy || !changed} onClick={() => setPreviewing(true)}>
            Preview impact
          </button>
          <button type="submit" class="button button-primary" disabled={busy || !changed}>
            {busy ? 'Saving…' : 'Save policy'}
          </button>
          <button
            type="button"
            class="button"
            disabled={busy || !changed}
            onClick={() => {
              setDraft(null);
              setError(null);
            }}
          >
            Discard changes
          </button>
          <span class="muted small" aria-live="polite">
            {changed ? 'Unsaved changes' : ''}
          </span>
        </div>
      </form>
    </section>
  );
}

/** `allowedHeaders[1]: is not a valid header name` as `X Bad: is not a valid header name`. */
function describeEntries(invalid: readonly InvalidField[], field: string, entries: readonly string[]): string[] {
  return invalid.map((item) => {
    const index = indexIn(item.field, field);
    const entry = index === undefined ? undefined : entries[index];
    return entry === undefined ? item.reason : `${entry}: ${item.reason}`;
  });
}
