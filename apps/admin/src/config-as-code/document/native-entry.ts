import { toPathRuleView } from '../../policies/path-rule.schema.js';
import type { DocumentOrigin, TenantState } from './config-model.js';

/** An origin rule in the form a document (and `PUT /origins`) writes it. */
export function documentOrigin(rule: TenantState['origins'][number]): DocumentOrigin {
  const extras = {
    ...(rule.expiresAt === null ? {} : { expiresAt: rule.expiresAt.toISOString() }),
    ...(rule.note === null ? {} : { note: rule.note }),
  };
  return rule.kind === 'regex' ? { pattern: rule.value, type: 'regex', ...extras } : { origin: rule.value, ...extras };
}

/** A stored tenant as the native document writes it; importing it back changes nothing. */
export function nativeEntry(state: TenantState) {
  return {
    slug: state.slug,
    name: state.name,
    hostnames: [...state.hostnames],
    upstreamUrl: state.upstreamUrl,
    policy: { ...state.policy, pathRules: state.policy.pathRules.map(toPathRuleView) },
    // An expired rule matches nothing and could not be written back (an expiry must be in the future).
    origins: state.origins.filter((rule) => rule.expiresAt === null || rule.expiresAt.getTime() > Date.now()).map(documentOrigin),
  };
}

/** A tenant of the native document. */
export type NativeEntry = ReturnType<typeof nativeEntry>;
