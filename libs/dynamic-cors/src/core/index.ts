export { compilePolicy } from './compile-policy.js';
export type {
  CompiledPolicy,
  CorsHeader,
  ExactOriginMatcher,
  OriginMatcher,
  PatternOriginMatcher,
  WildcardOriginMatcher,
} from './compile-policy.js';
export type { PolicyShape } from './policy-shape.js';
export { ACTUAL_VARY, CORS_DISABLED, decide, PREFLIGHT_VARY, REFUSAL_REASONS } from './decide.js';
export { MAX_REQUESTED_HEADERS } from './preflight-checks.js';
export { mergeVary } from './vary.js';
export { corsDecisionHeader, DECISION_HEADER } from './decision-header.js';
export type { CorsDecision, CorsDecisionKind, CorsRefusalReason, CorsRequest } from './decide.js';
export {
  ALWAYS_ALLOWED_REQUEST_HEADERS,
  FORBIDDEN_METHODS,
  isHttpToken,
  normaliseMethod,
  SAFELISTED_METHODS,
} from './http-token.js';
export { MAX_ORIGIN_LENGTH, parseRequestOrigin } from './origin.js';
export { normaliseOriginInput } from './origin-input.js';
export type { OriginInputResult } from './origin-input.js';
export { MAX_PATTERN_LENGTH, validateOriginPattern } from './origin-pattern.js';
export type { OriginPatternResult } from './origin-pattern.js';
export { parseOriginRule } from './origin-rule.js';
export type { OriginRuleInput, OriginRuleResult } from './origin-rule.js';
export { DEFAULT_POLICY } from './policy.js';
export type { CorsPolicy, OriginRule, OriginRuleKind, PathRule, PolicyMode } from './policy.js';
export { MAX_PATH_PATTERN_LENGTH, parsePathPattern } from './path-pattern.js';
export type { PathPattern, PathPatternResult } from './path-pattern.js';
export { MAX_PATH_RULES, effectivePolicy, matchPathRule } from './path-rules.js';
export type { CompiledPathRule } from './path-rules.js';
export { validatePathRules } from './validate-path-rules.js';
export { CHROMIUM_MAX_AGE_CAP, policyWarnings } from './policy-warnings.js';
export type { PathRuleIssue } from './validate-path-rules.js';
export { MAX_LIST_ENTRIES, MAX_MAX_AGE, validatePolicy } from './validate-policy.js';
export type { PolicyField, PolicyInput, PolicyIssue } from './validate-policy.js';
export { credentialsConflict } from './credentialed-origin.js';
