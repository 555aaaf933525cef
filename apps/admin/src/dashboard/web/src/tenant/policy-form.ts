import type { PathRule, Policy, PolicyFields, PolicyMode } from '../api/types.js';
import { pathRuleFormOf, pathRuleOf, type PathRuleForm } from './path-rule-form.js';

/** The methods offered as checkboxes; anything else goes in "Other methods". */
export const COMMON_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** The policy form's state: lists as the text the person types. */
export interface PolicyForm {
  readonly methods: ReadonlySet<string>;
  readonly otherMethods: string;
  readonly allowedHeaders: string;
  readonly exposedHeaders: string;
  readonly allowCredentials: boolean;
  readonly maxAge: string;
  readonly allowPrivateNetwork: boolean;
  readonly mode: PolicyMode;
  readonly pathRules: readonly PathRuleForm[];
  readonly preflightStatus: '204' | '200';
  readonly timingAllowOrigin: boolean;
  readonly debugHeader: boolean;
}

/** Splits `X-A, X-B` (commas, spaces or new lines) into entries. */
export function splitNames(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

export function formOf(policy: Policy): PolicyForm {
  const common = new Set<string>(COMMON_METHODS);
  return {
    methods: new Set(policy.allowedMethods.filter((method) => common.has(method))),
    otherMethods: policy.allowedMethods.filter((method) => !common.has(method)).join(', '),
    allowedHeaders: policy.allowedHeaders.join(', '),
    exposedHeaders: policy.exposedHeaders.join(', '),
    allowCredentials: policy.allowCredentials,
    maxAge: String(policy.maxAge),
    allowPrivateNetwork: policy.allowPrivateNetwork,
    mode: policy.mode,
    pathRules: policy.pathRules.map(pathRuleFormOf),
    preflightStatus: policy.preflightStatus === 200 ? '200' : '204',
    timingAllowOrigin: policy.timingAllowOrigin,
    debugHeader: policy.debugHeader,
  };
}

/** The request body; `maxAge` is sent as typed when it is not a number, so the API names the field. */
export function fieldsOf(form: PolicyForm): Omit<PolicyFields, 'maxAge' | 'pathRules'> & {
  maxAge: number | string;
  pathRules: PathRule[];
} {
  const maxAge = form.maxAge.trim();
  return {
    allowedMethods: [...COMMON_METHODS.filter((method) => form.methods.has(method)), ...splitNames(form.otherMethods)],
    allowedHeaders: splitNames(form.allowedHeaders),
    exposedHeaders: splitNames(form.exposedHeaders),
    allowCredentials: form.allowCredentials,
    maxAge: /^-?\d+$/.test(maxAge) ? Number(maxAge) : maxAge,
    allowPrivateNetwork: form.allowPrivateNetwork,
    mode: form.mode,
    pathRules: form.pathRules.map(pathRuleOf),
    preflightStatus: form.preflightStatus === '200' ? 200 : 204,
    timingAllowOrigin: form.timingAllowOrigin,
    debugHeader: form.debugHeader,
  };
}

/** Whether the form says something other than the stored policy. */
export function isChanged(form: PolicyForm, policy: Policy): boolean {
  return JSON.stringify(fieldsOf(form)) !== JSON.stringify(fieldsOf(formOf(policy)));
}
