import type { ApiError } from '../api/api-error.js';
import { Checkbox, Field } from '../ui/field.js';
import { emptyPathRule, moved, type PathRuleForm } from './path-rule-form.js';

const CREDENTIALS: readonly { value: PathRuleForm['allowCredentials']; label: string }[] = [
  { value: 'inherit', label: 'As the policy' },
  { value: 'true', label: 'Allowed' },
  { value: 'false', label: 'Not allowed' },
];

/**
 * The policy's path rules as an ordered list: the first rule whose path matches a request
 * applies, so order matters and can be changed. Empty fields fall back to the policy's.
 */
export function PathRulesEditor(props: {
  readonly rules: readonly PathRuleForm[];
  readonly onRules: (rules: PathRuleForm[]) => void;
  readonly invalid: ApiError | null;
}) {
  const { rules, onRules, invalid } = props;
  const change = (index: number, patch: Partial<PathRuleForm>) =>
    onRules(rules.map((rule, at) => (at === index ? { ...rule, ...patch } : rule)));
  const reason = (index: number, field: string) => {
    const reasons = invalid?.reasonsFor(`pathRules[${index}].${field}`) ?? [];
    return reasons.length ? reasons.map((r) => (r.field === `pathRules[${index}].${field}` ? r.reason : `${r.field.slice(`pathRules[${index}].`.length)}: ${r.reason}`)) : undefined;
  };

  return (
    <fieldset class="fieldset path-rules">
      <legend>Path rules</legend>
      <p class="hint">
        Checked in order; the first whose path matches the request path (after <code>/t/&lt;slug&gt;</code>) applies. <code>*</code> matches
        one segment, a trailing <code>/**</code> any rest (<code>/public/**</code> also matches <code>/public</code>). Fields left empty are
        the policy's.
      </p>
      {invalid?.reasonFor('pathRules') && !invalid.reasonsFor('pathRules').some((r) => r.field.startsWith('pathRules[')) ? (
        <p class="field-error">{invalid.reasonFor('pathRules')}</p>
      ) : null}
      <ol class="path-rule-list">
        {rules.map((rule, index) => (
          <li key={rule.key} class="path-rule" aria-label={`Path rule ${index + 1}`}>
            <div class="path-rule-head">
              <strong>Rule {index + 1}</strong>
              <div class="actions">
                <button type="button" class="button" disabled={index === 0} onClick={() => onRules(moved(rules, index, index - 1))}>
                  Move up
                </button>
                <button
                  type="button"
                  class="button"
                  disabled={index === rules.length - 1}
                  onClick={() => onRules(moved(rules, index, index + 1))}
                >
                  Move down
                </button>
                <button type="button" class="button button-danger" onClick={() => onRules(rules.filter((_, at) => at !== index))}>
                  Remove
                </button>
              </div>
            </div>
            <Field
              label="Path pattern"
              name={`pathRules[${index}].path`}
              required
              value={rule.path}
              onValue={(path) => change(index, { path })}
              error={reason(index, 'path')}
              hint="e.g. /public/**, /v1/*/files or /webhooks"
            />
            <Checkbox
              label="Turn CORS off on this path"
              name={`pathRules[${index}].disabled`}
              checked={rule.disabled}
              onChecked={(disabled) => change(index, { disabled })}
              error={reason(index, 'disabled')?.[0]}
              description="No CORS headers and no refusals here: preflights reach the upstream, which answers CORS itself."
            />
            {rule.disabled ? null : (
              <>
                <Field
                  label="Origins on this path"
                  name={`pathRules[${index}].origins`}
                  multiline
                  rows={2}
                  value={rule.origins}
                  onValue={(origins) => change(index, { origins })}
                  error={reason(index, 'origins')}
                  hint="One per line: https://app.example.com, https://*.example.com, * or a regex starting with ^."
                />
                <div class="grid-2">
                  <Field
                    label="Methods on this path"
                    name={`pathRules[${index}].allowedMethods`}
                    value={rule.allowedMethods}
                    onValue={(allowedMethods) => change(index, { allowedMethods })}
                    error={reason(index, 'allowedMethods')}
                  />
                  <Field
                    label="Request headers on this path"
                    name={`pathRules[${index}].allowedHeaders`}
                    value={rule.allowedHeaders}
                    onValue={(allowedHeaders) => change(index, { allowedHeaders })}
                    error={reason(index, 'allowedHeaders')}
                  />
                  <Field
                    label="Exposed headers on this path"
                    name={`pathRules[${index}].exposedHeaders`}
                    value={rule.exposedHeaders}
                    onValue={(exposedHeaders) => change(index, { exposedHeaders })}
                    error={reason(index, 'exposedHeaders')}
                  />
                  <Field
                    label="Max age on this path (seconds)"
                    name={`pathRules[${index}].maxAge`}
                    type="number"
                    inputMode="numeric"
                    min={0}
                    value={rule.maxAge}
                    onValue={(maxAge) => change(index, { maxAge })}
                    error={reason(index, 'maxAge')}
                  />
                </div>
                <fieldset class="fieldset">
                  <legend>Credentials on this path</legend>
                  {CREDENTIALS.map((option) => (
                    <label key={option.value} class="radio">
                      <input
                        type="radio"
                        name={`pathRules[${index}].allowCredentials`}
                        value={option.value}
                        checked={rule.allowCredentials === option.value}
                        onChange={() => change(index, { allowCredentials: option.value })}
                      />
                      <span>{option.label}</span>
                    </label>
                  ))}
                  {reason(index, 'allowCredentials') ? <p class="field-error">{reason(index, 'allowCredentials')![0]}</p> : null}
                </fieldset>
              </>
            )}
          </li>
        ))}
      </ol>
      <button type="button" class="button" onClick={() => onRules([...rules, emptyPathRule()])}>
        Add a path rule
      </button>
    </fieldset>
  );
}
