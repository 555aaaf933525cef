import type { OriginRuleInput } from '#dynamic-cors';
import type { NewOriginRule } from '../../origins/origin-rules.js';
import type { PolicyFields } from '../../policies/policy.schema.js';

/** The formats a configuration can be imported from. */
export const IMPORT_FORMATS = ['corsmesh', 'kong', 's3', 'express'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
/** The formats a configuration can be exported to (express options are code, not a document). */
export const EXPORT_FORMATS = ['corsmesh', 'kong', 's3'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** Formats that describe one tenant: they need `tenant`, and a tenant key may use them. */
export const SINGLE_TENANT_FORMATS: ReadonlySet<ImportFormat> = new Set(['s3', 'express']);

/** Something the source says that corsmesh cannot represent (import), or the reverse (export). */
export interface Loss {
  /** Where in the source: a JSON path such as `CORSRules[1].AllowedHeader[0]`, or a tenant. */
  readonly where: string;
  readonly what: string;
}

/**
 * One tenant as a format mapper read it, not yet validated: the fields the source states, in
 * the native document's shape. A field left out means "as it is now" (the tenant's current
 * value, or the default for a new tenant), so a format that cannot say something never resets it.
 */
export interface TenantDraft {
  /** Where the tenant comes from in the source, for error messages: `tenants[2]`, `CORSRules`. */
  readonly where: string;
  /** `{slug, name?, hostnames?, upstreamUrl?, policy?: {...}, origins?: [...]}`, unvalidated. */
  readonly value: unknown;
  /**
   * What the format cannot express and the tenant keeps when `origins` or the policy's
   * `allowedMethods` are given: origin rules of these kinds, methods outside this vocabulary.
   */
  /**
   * The draft states the whole tenant (the native format): a field left out is the default,
   * not the current value, and `name` is required.
   */
  readonly complete?: boolean;
  /** The name of the tenant if the draft creates it without naming it (default: the slug). */
  readonly nameIfNew?: string;
  readonly keeps?: { readonly originKinds?: readonly NewOriginRule['kind'][]; readonly methodsOutside?: readonly string[] };
}

/** What a format mapper makes of a source document. */
export interface MappedConfig {
  readonly tenants: readonly TenantDraft[];
  readonly losses: readonly Loss[];
}

/** A tenant as it is stored, in the terms a configuration compares. */
export interface TenantState {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  /** Sorted. */
  readonly hostnames: readonly string[];
  readonly upstreamUrl: string | null;
  readonly policy: PolicyFields;
  /** In matching order. */
  readonly origins: readonly NewOriginRule[];
}

/** A tenant as the configuration wants it: every field decided and validated, as it will be stored. */
export type DesiredTenant = Omit<TenantState, 'id'>;

/** One origin rule in a document: the forms `PUT /origins` takes, with its expiry and note if any. */
export type DocumentOrigin = OriginRuleInput & { readonly expiresAt?: string; readonly note?: string };
