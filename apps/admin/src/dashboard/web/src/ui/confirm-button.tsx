import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';

/**
 * A destructive action in two steps: the first press asks, in place, with the consequence
 * spelled out; focus moves to the confirming button, Escape or Cancel backs out.
 */
export function ConfirmButton(props: {
  readonly label: string;
  /** Accessible name of the first button when `label` alone is ambiguous (e.g. "Remove https://a.example"). */
  readonly accessibleLabel?: string;
  readonly question: ComponentChildren;
  /** Shown under the question while asking, e.g. what the action would break; mounted only then. */
  readonly details?: ComponentChildren;
  readonly confirmLabel: string;
  readonly onConfirm: () => Promise<void> | void;
  readonly disabled?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openerRef = useRef<HTMLButtonElement>(null);

  useLayoutEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  const cancel = () => {
    setAsking(false);
    // The opener comes back on the next render; give focus back to it then.
    setTimeout(() => openerRef.current?.focus(), 0);
  };
  const confirm = async () => {
    setBusy(true);
    try {
      await props.onConfirm();
    } finally {
      setBusy(false);
      setAsking(false);
    }
  };

  if (!asking) {
    return (
      <button
        type="button"
        class="button button-danger-quiet"
        ref={openerRef}
        aria-label={props.accessibleLabel}
        disabled={props.disabled}
        onClick={() => setAsking(true)}
      >
        {props.label}
      </button>
    );
  }
  return (
    <div
      class="confirm"
      role="group"
      aria-label="Confirm"
      onKeyDown={(event) => {
        if (event.key === 'Escape') cancel();
      }}
    >
      <p class="confirm-question">{props.question}</p>
      {props.details}
      <div class="actions">
        <button type="button" class="button button-danger" ref={confirmRef} disabled={busy} onClick={() => void confirm()}>
          {busy ? 'Working…' : props.confirmLabel}
        </button>
        <button type="button" class="button" disabled={busy} onClick={cancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}
