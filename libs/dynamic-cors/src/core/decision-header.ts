import type { CorsDecision, CorsRefusalReason } from './decide.js';

/** Name of the opt-in debug header (SPEC "Traffic insight", policy field `debugHeader`). */
export const DECISION_HEADER = 'cors-decision';

const REFUSED: Record<CorsRefusalReason, string> = {
  origin_not_listed: 'refused; reason=origin_not_listed',
  method_not_allowed: 'refused; reason=method_not_allowed',
  header_not_allowed: 'refused; reason=header_not_allowed',
  credentials_not_allowed: 'refused; reason=credentials_not_allowed',
  private_network_not_allowed: 'refused; reason=private_network_not_allowed',
  malformed_origin: 'refused; reason=malformed_origin',
  null_origin: 'refused; reason=null_origin',
};

/**
 * The `CORS-Decision` value of a decision: `allowed|refused; reason=<code>[; rule=<rule id>]`.
 * It names the rule by its id only, never its value, so that it tells a caller which rule to
 * look at without revealing which origins are listed. `undefined` where CORS is disabled.
 */
export function corsDecisionHeader(decision: CorsDecision): string | undefined {
  if (decision.kind === 'disabled') return undefined;
  const id = decision.matchedRule?.id;
  const outcome = decision.allowed ? 'allowed' : REFUSED[decision.refusal ?? 'origin_not_listed'];
  return id === undefined ? outcome : `${outcome}; rule=${id}`;
}
