import { useState } from 'preact/hooks';

/**
 * A form's submit handler around `action`: busy while it runs, its error kept, and on a
 * refusal the first control marked invalid focused, so its reason is read out where it applies.
 */
export function useFormSubmit(action: () => Promise<void>) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught);
      setTimeout(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
    } finally {
      setBusy(false);
    }
  };
  return { submit, error, busy };
}
