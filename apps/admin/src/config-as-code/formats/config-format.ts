import { credentialsConflict, type OriginRuleInput, parseOriginRule } from '#dynamic-cors';
import { DomainError } from '#problem-details';
import type { Loss, MappedConfig, TenantState } from '../document/config-model.js';

/** What browsers assume when a preflight answer has no Max-Age (Fetch: 5 seconds): a format's "no max age". */
export const NO_MAX_AGE = 5;

/** What a reader may need besides the document. */
export interface ReadOptions {
  /** `&tenant=`: the tenant of a single-tenant format, or Kong's last resort. */
  readonly tenant?: string;
  /** The slug of the stored tenant that has this hostname (Kong routes map by their host). */
  readonly tenantOfHost?: (host: string) => string | undefined;
}

/** Reads one format into tenant drafts and the losses of the way in. */
export type FormatReader = (value: unknown, options: ReadOptions) => MappedConfig;

/** A document of a format, written from stored tenants, and what it could not say. */
export interface WrittenDocument {
  readonly document: unknown;
  readonly losses: readonly Loss[];
}

/** Writes stored tenants in one format. */
export type FormatWriter = (tenants: readonly TenantState[]) => WrittenDocument;

/** A value read from a foreign document, with where it was. */
export interface Located<T> {
  readonly value: T;
  readonly where: string;
}

/**
 * The origin rules of a foreign document that corsmesh can hold safely, judged by the admin
 * API's own `parseOriginRule` (so a public-suffix wildcard or a catastrophic regex is refused
 * as it would be on `POST /origins`): each refused rule, and each rule that cannot go with
 * credentials, is left out and reported. Leaving out only ever narrows what is allowed.
 */
export function acceptedOrigins(candidates: readonly Located<OriginRuleInput>[], credentials: boolean, losses: Loss[]): OriginRuleInput[] {
  const accepted: OriginRuleInput[] = [];
  for (const { value, where } of candidates) {
    const parsed = parseOriginRule(value);
    const shown = 'pattern' in value ? value.pattern : value.origin;
    if (!parsed.ok) {
      losses.push({ where, what: `origin ${shown} refused, not imported: ${parsed.reason}` });
      continue;
    }
    const conflict = credentials ? (parsed.rule.kind === 'any' ? 'origin * cannot be combined with credentials' : credentialsConflict(parsed.rule)) : undefined;
    if (conflict !== undefined) {
      losses.push({ where, what: `origin ${shown} not imported: ${conflict}` });
      continue;
    }
    accepted.push(value);
  }
  return accepted;
}

/** A list written as an array or as a comma-separated string (`"GET,POST"`). */
export function listOf(value: unknown): unknown[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value.split(',').map((item) => item.trim()).filter((item) => item !== '');
  return Array.isArray(value) ? value : [value];
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A structural problem of the source document: a 400 naming where. */
export function invalidSource(field: string, reason: string): DomainError {
  return DomainError.validation([{ field, reason }]);
}

/** A single-tenant format needs `tenant`. */
export function requireTenant(options: ReadOptions, format: string): string {
  if (options.tenant === undefined || options.tenant === '') throw invalidSource('tenant', `is required for the ${format} format (it describes one tenant)`);
  return options.tenant;
}
