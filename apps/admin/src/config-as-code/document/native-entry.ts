import { toPathRuleView } from '../../policies/path-rule.schema.js';
import type { DocumentOrigin, TenantState } from './config-model.js';

/** An origin rule in the form a document (and `PUT /origins`) writes it. */
export function documentOrigin(rule: TenantState['origins'][number]): DocumentOrigin {
  return rule.kind === 'regex' ? { pattern: rule.value, type: 'regex' } : { origin: rule.value };
}

/** A stored tenant as the native document writes it; importing it back changes nothing. */
export function nativeEntry(state: TenantState) {
  return {
    slug: state.slug,
    name: state.name,
    hostnames: [...state.hostnames],
    upstreamUrl: state.upstreamUrl,
    policy: { ...state.policy, pathRules: state.policy.pathRules.map(toPathRuleView) },
    origins: state.origins.map(documentOrigin),
  };
}

/** A tenant of the native document. */
export type NativeEntry = ReturnType<typeof nativeEntry>;
