import type { RefusalReason } from '../api/types.js';

/** Each refusal reason in words, as the inbox and the preview show it. */
export const REASON_TEXT: Record<RefusalReason, string> = {
  origin_not_listed: 'Origin not allowed',
  method_not_allowed: 'Method not allowed',
  header_not_allowed: 'Request header not allowed',
  credentials_not_allowed: 'Credentials not allowed',
  private_network_not_allowed: 'Private network access not allowed',
  malformed_origin: 'Malformed Origin header',
  null_origin: 'Opaque origin (null)',
};

/**
 * Whether allowing the origin fixes the refusal: only when the origin was not listed (an opaque
 * `null` origin is left to a deliberate rule, since any sandboxed page sends it).
 */
export function isFixedByAllowing(reason: RefusalReason): boolean {
  return reason === 'origin_not_listed';
}
