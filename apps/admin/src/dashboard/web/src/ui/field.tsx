import type { ComponentChildren, RefObject } from 'preact';
import { useId } from 'preact/hooks';

interface FieldProps {
  readonly label: string;
  readonly value: string;
  readonly onValue: (value: string) => void;
  /** The API's reason, shown under the control and tied to it for assistive technology. */
  readonly error?: string | readonly string[] | undefined;
  readonly hint?: ComponentChildren;
  readonly type?: 'text' | 'search' | 'password' | 'url' | 'number' | 'date';
  readonly multiline?: boolean;
  readonly rows?: number;
  readonly name?: string;
  readonly placeholder?: string;
  readonly required?: boolean;
  /** Mark an optional field "(optional)"; off where empty is an ordinary value (an empty list). */
  readonly markOptional?: boolean;
  readonly autoComplete?: string;
  readonly inputMode?: 'text' | 'numeric' | 'decimal' | 'url' | 'search';
  readonly spellcheck?: boolean;
  readonly min?: number;
  readonly max?: number;
  readonly inputRef?: RefObject<HTMLInputElement | HTMLTextAreaElement | null>;
  readonly class?: string;
}

/** A labelled text control with an optional hint and the reason it was refused. */
export function Field(props: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const errors = props.error === undefined ? [] : typeof props.error === 'string' ? [props.error] : props.error;
  const describedBy = [props.hint ? hintId : '', errors.length ? errorId : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: props.name,
    value: props.value,
    placeholder: props.placeholder,
    required: props.required,
    autoComplete: props.autoComplete,
    spellcheck: props.spellcheck ?? false,
    'aria-invalid': errors.length ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
    onInput: (event: Event) => props.onValue((event.currentTarget as HTMLInputElement).value),
  };
  return (
    <div class={`field${errors.length ? ' field-invalid' : ''}${props.class ? ` ${props.class}` : ''}`}>
      <label for={id}>
        {props.label}
        {props.required || props.markOptional === false ? null : <span class="optional"> (optional)</span>}
      </label>
      {props.hint ? (
        <p class="hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.multiline ? (
        <textarea {...common} ref={(element) => setRef(props.inputRef, element)} rows={props.rows ?? 4} />
      ) : (
        <input
          {...common}
          ref={(element) => setRef(props.inputRef, element)}
          // Preact types input attributes per literal `type`; any of these takes the same ones.
          type={(props.type ?? 'text') as 'text'}
          inputMode={props.inputMode}
          min={props.min}
          max={props.max}
        />
      )}
      {errors.length ? (
        <ul class="field-error" id={errorId}>
          {errors.map((error, index) => (
            <li key={index}>{error}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function setRef<T>(ref: RefObject<T | null> | undefined, element: T | null): void {
  if (ref) ref.current = element;
}

/** A labelled checkbox with an optional description. */
export function Checkbox(props: {
  readonly label: string;
  readonly checked: boolean;
  readonly onChecked: (checked: boolean) => void;
  readonly description?: ComponentChildren;
  readonly error?: string | undefined;
  readonly name?: string;
}) {
  const id = useId();
  return (
    <div class={`checkbox${props.error ? ' field-invalid' : ''}`}>
      <input
        id={id}
        type="checkbox"
        name={props.name}
        checked={props.checked}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.description || props.error ? `${id}-desc` : undefined}
        onChange={(event) => props.onChecked((event.currentTarget as HTMLInputElement).checked)}
      />
      <div>
        <label for={id}>{props.label}</label>
        {props.description || props.error ? (
          <div id={`${id}-desc`}>
            {props.description ? <p class="hint">{props.description}</p> : null}
            {props.error ? <p class="field-error">{props.error}</p> : null}
          </div>
        ) : null}
      </div>
    </div>
  );
}
