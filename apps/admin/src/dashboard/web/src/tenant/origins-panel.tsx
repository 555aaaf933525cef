import { useRef, useState } from 'preact/hooks';
import { path } from '../api/api-client.js';
import { useApi } from '../api/api-context.js';
import { ApiError, indexIn } from '../api/api-error.js';
import type { ItemList, OriginRule, Tenant } from '../api/types.js';
import { ConfirmButton } from '../ui/confirm-button.js';
import { EmptyState, ErrorNotice, Loading, SuccessNotice, Timestamp } from '../ui/feedback.js';
import { Field } from '../ui/field.js';
import { endOfLocalDay } from '../ui/relative-time.js';
import { useAsync } from '../ui/use-async.js';
import { ImpactPreview } from '../traffic/impact-preview.js';
import { LastMatched } from '../traffic/last-matched.js';
import { OriginExpiry } from './origin-expiry.js';
import { formatOriginLines, inputOf, KIND_LABELS, parseOriginLines, withKeptExtras } from './origin-lines.js';

type RuleKind = 'origin' | 'regex';

/** The tenant's allowed origins: add one, remove one, or replace the whole list. */
export function OriginsPanel({ tenant }: { tenant: Tenant }) {
  const api = useApi();
  const resource = path('tenants', tenant.slug, 'origins');
  const { state, reload, set } = useAsync((signal) => api.get<ItemList<OriginRule>>(resource, { signal }), [api, resource]);
  const [notice, setNotice] = useState<string | null>(null);
  const [removeError, setRemoveError] = useState<unknown>(null);

  const rules = state.data?.items ?? [];
  // Expired rules match nothing: the list without one removed is the live rules but it.
  const withoutRule = (removed: OriginRule) => rules.filter((other) => other.id !== removed.id && !other.expired).map(inputOf);

  const remove = async (rule: OriginRule) => {
    setRemoveError(null);
    setNotice(null);
    try {
      await api.delete(path('tenants', tenant.slug, 'origins', rule.id));
      set({ items: rules.filter((other) => other.id !== rule.id) });
      setNotice(`Removed ${rule.value}. Gateways stop allowing it within a second.`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        set({ items: rules.filter((other) => other.id !== rule.id) });
        setNotice(`${rule.value} was already removed.`);
      } else setRemoveError(error);
    }
  };

  return (
    <div class="stack">
      <section class="card" aria-labelledby="origins-title">
        <div class="card-head">
          <h2 id="origins-title">Allowed origins</h2>
          <p class="hint">Pages on these origins may call this tenant’s API from a browser. Changes reach every gateway within a second.</p>
        </div>
        <AddOriginForm
          resource={resource}
          onAdded={(rule, typed) => {
            set({ items: [...rules, rule] });
            setRemoveError(null);
            setNotice(rule.value === typed ? `Added ${rule.value}.` : `Added ${rule.value} (you typed ${typed}; this is its normalised form).`);
          }}
        />
        {notice ? <SuccessNotice>{notice}</SuccessNotice> : null}
        {removeError ? <ErrorNotice error={removeError} title="The origin was not removed." /> : null}
        {state.status === 'error' ? (
          <ErrorNotice error={state.error} title="The origins could not be loaded.">
            <button type="button" class="button" onClick={reload}>
              Try again
            </button>
          </ErrorNotice>
        ) : state.status === 'loading' && state.data === undefined ? (
          <Loading label="Loading origins…" />
        ) : rules.length === 0 ? (
          <EmptyState title="No origins yet: browsers on other sites cannot call this tenant.">
            Add one above, such as https://app.example.com.
          </EmptyState>
        ) : (
          <ul class="rule-list" aria-label="Allowed origins">
            {rules.map((rule) => (
              <li key={rule.id} class={`rule${rule.expired ? ' rule-expired' : ''}`} data-testid="origin-rule">
                <div class="rule-main">
                  <code class="rule-value break">{rule.value}</code>
                  <span class={`badge badge-${rule.kind}`}>{KIND_LABELS[rule.kind]}</span>
                  <OriginExpiry rule={rule} />
                  <span class="muted small">
                    added <Timestamp iso={rule.createdAt} />
                  </span>
                  {rule.note ? <span class="rule-note small break" data-testid="origin-note">{rule.note}</span> : null}
                  <LastMatched rule={rule} />
                </div>
                <ConfirmButton
                  label="Remove"
                  accessibleLabel={`Remove ${rule.value}`}
                  question={
                    <>
                      Remove <code class="break">{rule.value}</code>? Pages on it can no longer call this tenant’s API.
                    </>
                  }
                  details={<ImpactPreview tenant={tenant} proposal={{ origins: withoutRule(rule) }} />}
                  confirmLabel="Yes, remove"
                  onConfirm={() => remove(rule)}
                />
              </li>
            ))}
          </ul>
        )}
      </section>
      <BulkEditor
        tenant={tenant}
        resource={resource}
        current={rules}
        disabled={state.status !== 'ready'}
        onReplaced={(items) => {
          set({ items });
          setRemoveError(null);
          setNotice(`Replaced the list: ${items.length === 1 ? '1 origin' : `${items.length} origins`} allowed now.`);
        }}
      />
    </div>
  );
}

function AddOriginForm({ resource, onAdded }: { resource: string; onAdded: (rule: OriginRule, typed: string) => void }) {
  const api = useApi();
  const [kind, setKind] = useState<RuleKind>('origin');
  const [value, setValue] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [note, setNote] = useState('');
  const [error, setError] = useState<ApiError | Error | null>(null);
  const [busy, setBusy] = useState(false);
  const inputRef = useRef<HTMLInputElement | HTMLTextAreaElement>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    const typed = value.trim();
    setBusy(true);
    setError(null);
    try {
      const rule = await api.post<OriginRule>(resource, {
        ...(kind === 'regex' ? { pattern: typed, type: 'regex' } : { origin: typed }),
        ...(expiresOn === '' ? {} : { expiresAt: endOfLocalDay(expiresOn) }),
        ...(note.trim() === '' ? {} : { note: note.trim() }),
      });
      setValue('');
      setExpiresOn('');
      setNote('');
      onAdded(rule, typed);
    } catch (caught) {
      setError(caught instanceof Error ? caught : new Error(String(caught)));
    } finally {
      setBusy(false);
      inputRef.current?.focus();
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  // A refused rule (400) or a duplicate (409) is about the value typed: say so at the field,
  // unless the API named the expiry or the note.
  const expiryError = apiError?.status === 400 ? apiError.reasonFor('expiresAt') : undefined;
  const noteError = apiError?.status === 400 ? apiError.reasonFor('note') : undefined;
  const atField =
    apiError === null
      ? undefined
      : apiError.status === 409
        ? apiError.detail
        : apiError.status === 400
          ? (apiError.reasonFor(kind === 'regex' ? 'pattern' : 'origin') ??
            (expiryError ?? noteError ? undefined : (apiError.invalidFields[0]?.reason ?? apiError.detail)))
          : undefined;
  const shownAtAField = atField !== undefined || expiryError !== undefined || noteError !== undefined;

  return (
    <form class="add-origin" onSubmit={(event) => void submit(event)} noValidate aria-label="Add an origin">
      <div class="field field-kind">
        <label for="origin-kind">Kind</label>
        <select id="origin-kind" value={kind} onChange={(event) => setKind((event.currentTarget as HTMLSelectElement).value as RuleKind)}>
          <option value="origin">Origin or wildcard</option>
          <option value="regex">Regular expression</option>
        </select>
      </div>
      <Field
        class="field-grow"
        label={kind === 'regex' ? 'Pattern' : 'Origin'}
        name="origin"
        required
        value={value}
        onValue={(next) => {
          setValue(next);
          if (error) setError(null);
        }}
        inputRef={inputRef}
        error={atField}
        placeholder={kind === 'regex' ? '^https://pr-[0-9]+\\.preview\\.example\\.com$' : 'https://app.example.com'}
        hint={
          kind === 'regex'
            ? 'Anchored with ^ and $, matched against the lower-case origin.'
            : 'An origin (https://app.example.com), a wildcard subdomain (https://*.example.com) or * for any origin.'
        }
      />
      <Field
        class="field-date"
        label="Expires on"
        name="expiresOn"
        type="date"
        value={expiresOn}
        onValue={(next) => {
          setExpiresOn(next);
          if (error) setError(null);
        }}
        error={expiryError}
        hint="Stops matching after this day."
      />
      <Field
        class="field-grow"
        label="Note"
        name="note"
        value={note}
        onValue={(next) => {
          setNote(next);
          if (error) setError(null);
        }}
        error={noteError}
        placeholder="PR #482 preview"
        hint="Up to 500 characters: a ticket, who asked."
      />
      <div class="add-origin-submit">
        <button type="submit" class="button button-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add origin'}
        </button>
      </div>
      {error !== null && !shownAtAField ? <ErrorNotice error={error} title="The origin was not added." /> : null}
    </form>
  );
}

function BulkEditor(props: {
  tenant: Tenant;
  resource: string;
  current: readonly OriginRule[];
  disabled: boolean;
  onReplaced: (items: readonly OriginRule[]) => void;
}) {
  const api = useApi();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const textRef = useRef<HTMLInputElement | HTMLTextAreaElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  const lines = parseOriginLines(text);
  const live = props.current.filter((rule) => !rule.expired);

  const start = () => {
    setText(formatOriginLines(live));
    setError(null);
    setConfirming(false);
    setOpen(true);
    setTimeout(() => textRef.current?.focus(), 0);
  };

  const replace = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await api.put<ItemList<OriginRule>>(props.resource, { origins: withKeptExtras(lines, live) });
      setOpen(false);
      props.onReplaced(result.items);
    } catch (caught) {
      setError(caught);
      setTimeout(() => textRef.current?.focus(), 0);
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  const apiError = error instanceof ApiError ? error : null;
  const lineErrors =
    apiError?.status === 400
      ? apiError.invalidFields.map((invalid) => {
          const index = indexIn(invalid.field, 'origins');
          const line = index === undefined ? undefined : lines[index];
          return line ? `Line ${line.line} (${line.text}): ${invalid.reason}` : invalid.reason;
        })
      : [];

  return (
    <section class="card" aria-labelledby="bulk-title">
      <div class="card-head">
        <h2 id="bulk-title">Replace the whole list</h2>
        <p class="hint">
          Paste one origin per line. The list is replaced in one step: if any line is refused, nothing changes. Origins kept keep
          their expiry and note; expired origins are not listed, so replacing the list removes them.
        </p>
      </div>
      {!open ? (
        <button type="button" class="button" disabled={props.disabled} onClick={start}>
          Edit as a list…
        </button>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            setConfirming(true);
            setTimeout(() => confirmRef.current?.focus(), 0);
          }}
          noValidate
        >
          <Field
            label="Origins, one per line"
            markOptional={false}
            name="origins"
            multiline
            rows={8}
            value={text}
            onValue={(next) => {
              setText(next);
              setConfirming(false);
            }}
            inputRef={textRef}
            error={lineErrors.length ? lineErrors : undefined}
            hint="Lines starting with ^ are regular expressions; blank lines and lines starting with # are skipped."
          />
          {error !== null && lineErrors.length === 0 ? <ErrorNotice error={error} title="The list was not replaced." /> : null}
          {confirming ? (
            <div class="confirm" role="group" aria-label="Confirm the replacement">
              <p class="confirm-question">
                {lines.length === 0
                  ? 'Remove every origin? No browser on another site will be able to call this tenant.'
                  : `Replace the ${props.current.length === 1 ? 'current origin' : `${props.current.length} current origins`} with ${
                      lines.length === 1 ? 'this 1 line' : `these ${lines.length} lines`
                    }? Origins not in the list lose access.`}
              </p>
              <ImpactPreview tenant={props.tenant} proposal={{ origins: lines.map((line) => line.input) }} />
              <div class="actions">
                <button type="button" class="button button-danger" ref={confirmRef} disabled={busy} onClick={() => void replace()}>
                  {busy ? 'Replacing…' : 'Yes, replace the list'}
                </button>
                <button type="button" class="button" disabled={busy} onClick={() => setConfirming(false)}>
                  Keep editing
                </button>
              </div>
            </div>
          ) : (
            <div class="actions">
              <button type="submit" class="button button-primary">
                Replace list…
              </button>
              <button type="button" class="button" onClick={() => setOpen(false)}>
                Cancel
              </button>
            </div>
          )}
        </form>
      )}
    </section>
  );
}
