import type { VersionDiff, VersionOrigin } from '../api/types.js';
import { brief } from './audit-summary.js';

/** What a diff changes, as lists a person reads in seconds: fields, then origins added, removed, changed. */
export function VersionDiffView({ diff }: { diff: VersionDiff }) {
  const { fields, origins } = diff;
  const fieldLines = [
    ...fields.changed.map((change) => `${change.field}: ${brief(change.before)} → ${brief(change.after)}`),
    ...fields.added.map((change) => `${change.field}: set to ${brief(change.after)}`),
    ...fields.removed.map((change) => `${change.field}: no longer set (was ${brief(change.before)})`),
  ];
  const empty = fieldLines.length + origins.added.length + origins.removed.length + origins.changed.length === 0;
  if (empty) return <p class="muted" data-testid="version-diff">No differences: the configuration is the same.</p>;
  return (
    <div data-testid="version-diff">
      {fieldLines.length ? (
        <>
          <h4>Policy</h4>
          <ul class="diff-list" aria-label="Policy fields changed">
            {fieldLines.map((line) => (
              <li key={line} class="mono break">
                {line}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {origins.added.length + origins.removed.length + origins.changed.length ? (
        <>
          <h4>Origins</h4>
          <ul class="diff-list" aria-label="Origins changed">
            {origins.added.map((rule) => (
              <li key={`+${rule.value}`} class="mono break diff-added">
                + {rule.value}
                {extras(rule)}
              </li>
            ))}
            {origins.removed.map((rule) => (
              <li key={`-${rule.value}`} class="mono break diff-removed">
                − {rule.value}
              </li>
            ))}
            {origins.changed.map((change) => (
              <li key={`~${change.value}`} class="mono break">
                ~ {change.value}:{extras(change.before) || ' no expiry or note'} →{extras(change.after) || ' no expiry or note'}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}

function extras(rule: VersionOrigin): string {
  return [rule.expiresAt ? ` until ${rule.expiresAt}` : '', rule.note ? ` (${rule.note})` : ''].join('');
}
