import type { ApiError } from '../api/api-error.js';
import { indexIn } from '../api/api-error.js';
import { Field } from '../ui/field.js';

/** Splits a list typed with commas, spaces or new lines. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/** A tenant's name, hostnames and upstream URL, as the create and edit forms take them, with the API's reasons at each. */
export function TenantFields(props: {
  readonly name: string;
  readonly onName: (value: string) => void;
  readonly hostnames: string;
  readonly onHostnames: (value: string) => void;
  readonly upstreamUrl: string;
  readonly onUpstreamUrl: (value: string) => void;
  readonly error: ApiError | undefined;
  readonly hostnamesHint: string;
}) {
  const hostnameErrors = (props.error?.reasonsFor('hostnames') ?? []).map((invalid) => {
    const index = indexIn(invalid.field, 'hostnames');
    const value = index === undefined ? undefined : splitList(props.hostnames)[index];
    return value === undefined ? invalid.reason : `${value}: ${invalid.reason}`;
  });
  return (
    <>
      <Field label="Name" name="name" required value={props.name} onValue={props.onName} error={props.error?.reasonFor('name')} />
      <Field
        label="Hostnames"
        name="hostnames"
        value={props.hostnames}
        onValue={props.onHostnames}
        error={hostnameErrors.length ? hostnameErrors : undefined}
        hint={props.hostnamesHint}
      />
      <Field
        label="Upstream URL"
        name="upstreamUrl"
        type="url"
        value={props.upstreamUrl}
        onValue={props.onUpstreamUrl}
        error={props.error?.reasonFor('upstreamUrl')}
        hint="Where the gateway forwards requests. Empty: the built-in echo handler answers."
      />
    </>
  );
}
