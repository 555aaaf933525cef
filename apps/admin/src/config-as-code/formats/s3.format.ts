import type { OriginRuleInput } from '#dynamic-cors';
import { isDeepStrictEqual } from 'node:util';
import type { Loss, TenantState } from '../document/config-model.js';
import { DEFAULT_POLICY_FIELDS } from '../document/resolve-tenants.js';
import {
  acceptedOrigins,
  type FormatReader,
  type FormatWriter,
  invalidSource,
  isRecord,
  listOf,
  NO_MAX_AGE,
  type Located,
  requireTenant,
} from './config-format.js';

/** The only methods an S3 rule may list. */
export const S3_METHODS = ['GET', 'PUT', 'HEAD', 'POST', 'DELETE'] as const;
/** S3's limit of rules per bucket. */
const MAX_RULES = 100;

interface S3Rule {
  readonly where: string;
  readonly origins: string[];
  readonly methods: string[];
  readonly headers: string[];
  readonly exposed: string[];
  readonly maxAge: number | undefined;
}

/**
 * S3 bucket CORS (`CORSConfiguration` XML, the API's `{CORSRules}` JSON, the console's bare
 * array, CloudFormation's spellings) into one tenant's policy. S3 keeps a list of rules and
 * answers with the first that fits origin, method and headers; corsmesh has one policy, so the
 * rules' lists are merged and each difference that merging widens or narrows is a loss. What S3
 * cannot say (regex origins, methods other than its five, credentials, path rules, mode) the
 * tenant keeps.
 */
export const readS3: FormatReader = (value, options) => {
  const slug = requireTenant(options, 's3');
  const { rules, path } = rulesOf(value);
  if (rules.length > MAX_RULES) throw invalidSource(path, `must have at most ${MAX_RULES} rules (S3's limit)`);
  const parsed = rules.map((rule, index) => ruleOf(rule, `${path}[${index}]`));
  const losses: Loss[] = [];
  const union = (pick: (rule: S3Rule) => string[], key: (item: string) => string = (item) => item) => {
    const seen = new Map<string, string>();
    for (const rule of parsed) for (const item of pick(rule)) if (!seen.has(key(item))) seen.set(key(item), item);
    return [...seen.values()];
  };
  const differ = (pick: (rule: S3Rule) => unknown) => parsed.some((rule) => !isDeepStrictEqual(pick(rule), pick(parsed[0]!)));
  if (parsed.length > 1) {
    if (differ((rule) => [...rule.methods].sort()))
      losses.push({ where: path, what: 'AllowedMethod differs between rules: merged into one list that every allowed origin may use' });
    if (differ((rule) => rule.headers.map((h) => h.toLowerCase()).sort()))
      losses.push({ where: path, what: 'AllowedHeader differs between rules: merged into one list that every allowed origin may send' });
    if (differ((rule) => rule.exposed.map((h) => h.toLowerCase()).sort()))
      losses.push({ where: path, what: 'ExposeHeader differs between rules: merged into one list' });
    if (differ((rule) => rule.maxAge)) losses.push({ where: path, what: 'MaxAgeSeconds differs between rules: the smallest is kept' });
  }
  const headers: string[] = [];
  for (const rule of parsed) {
    rule.headers.forEach((header, index) => {
      const where = `${rule.where}.AllowedHeader[${index}]`;
      if (header === '*') {
        losses.push({ where, what: 'S3’s * also allows Authorization; corsmesh’s * never does (list Authorization to allow it)' });
        headers.push(header);
      } else if (header.includes('*')) losses.push({ where, what: `header pattern ${header} has no equivalent (only * or whole names), not imported` });
      else headers.push(header);
    });
  }
  const ages = parsed.map((rule) => rule.maxAge).filter((age): age is number => age !== undefined);
  const candidates: Located<OriginRuleInput>[] = parsed.flatMap((rule) =>
    rule.origins.map((origin, index) => ({ value: { origin }, where: `${rule.where}.AllowedOrigin[${index}]` })),
  );
  return {
    tenants: [
      {
        where: path,
        value: {
          slug,
          policy: {
            allowedMethods: union((rule) => rule.methods, (m) => m.toUpperCase()),
            allowedHeaders: [...new Map(headers.map((h) => [h.toLowerCase(), h])).values()],
            exposedHeaders: union((rule) => rule.exposed, (h) => h.toLowerCase()),
            maxAge: ages.length === 0 ? NO_MAX_AGE : Math.min(...ages),
          },
          origins: acceptedOrigins(candidates, false, losses),
        },
        keeps: { originKinds: ['regex'], methodsOutside: S3_METHODS },
      },
    ],
    losses,
  };
};

function rulesOf(value: unknown): { rules: unknown[]; path: string } {
  if (Array.isArray(value)) return { rules: value, path: 'CORSRules' };
  if (isRecord(value) && 'CORSRules' in value) {
    if (!Array.isArray(value.CORSRules)) throw invalidSource('CORSRules', 'must be a list of rules');
    return { rules: value.CORSRules, path: 'CORSRules' };
  }
  if (isRecord(value) && 'CORSConfiguration' in value) {
    const configuration = value.CORSConfiguration;
    // `<CORSConfiguration/>` parses as an empty string: a document without rules.
    const rules = isRecord(configuration) ? (configuration.CORSRule ?? []) : [];
    return { rules: Array.isArray(rules) ? rules : [rules], path: 'CORSConfiguration.CORSRule' };
  }
  throw invalidSource('body', 'is not an S3 CORS document: expected CORSConfiguration (XML), {"CORSRules": [...]} or a list of rules');
}

// Each field as the API / XML (`AllowedOrigins` / `AllowedOrigin`) and CloudFormation spell it.
const SPELLINGS = {
  origins: ['AllowedOrigins', 'AllowedOrigin'],
  methods: ['AllowedMethods', 'AllowedMethod'],
  headers: ['AllowedHeaders', 'AllowedHeader'],
  exposed: ['ExposeHeaders', 'ExposeHeader', 'ExposedHeaders'],
  maxAge: ['MaxAgeSeconds', 'MaxAge'],
  id: ['ID', 'Id'],
} as const;

function ruleOf(rule: unknown, where: string): S3Rule {
  if (!isRecord(rule)) throw invalidSource(where, 'must be a CORS rule object');
  const known = new Set<string>(Object.values(SPELLINGS).flat());
  for (const key of Object.keys(rule)) if (!known.has(key)) throw invalidSource(`${where}.${key}`, 'is not a field of an S3 CORS rule');
  const field = (names: readonly string[]) => names.map((name) => rule[name]).find((v) => v !== undefined);
  const strings = (names: readonly string[], required: boolean): string[] => {
    const list = listOf(field(names));
    if (list === undefined || list.length === 0) {
      if (required) throw invalidSource(`${where}.${names[0]}`, 'must list at least one value');
      return [];
    }
    if (list.some((item) => typeof item !== 'string')) throw invalidSource(`${where}.${names[0]}`, 'must be a list of strings');
    return (list as string[]).map((item) => item.trim());
  };
  const rawAge = field(SPELLINGS.maxAge);
  const maxAge = rawAge === undefined ? undefined : Number(rawAge);
  if (maxAge !== undefined && (!Number.isInteger(maxAge) || maxAge < 0)) throw invalidSource(`${where}.MaxAgeSeconds`, 'must be a whole number of seconds, 0 or more');
  const methods = strings(SPELLINGS.methods, true);
  methods.forEach((method, index) => {
    if (!(S3_METHODS as readonly string[]).includes(method.toUpperCase())) throw invalidSource(`${where}.AllowedMethod[${index}]`, `must be one of ${S3_METHODS.join(', ')} (S3's methods)`);
  });
  return {
    where,
    origins: strings(SPELLINGS.origins, true),
    methods,
    headers: strings(SPELLINGS.headers, false),
    exposed: strings(SPELLINGS.exposed, false),
    maxAge,
  };
}

/** One tenant as one S3 rule (`ID` its slug), with every field S3 cannot carry as a loss. */
export const writeS3: FormatWriter = (tenants) => {
  const losses: Loss[] = [];
  const rules = tenants.flatMap((tenant) => ruleFor(tenant, losses));
  return { document: { CORSRules: rules }, losses };
};

function ruleFor(tenant: TenantState, losses: Loss[]): object[] {
  const where = `tenant ${tenant.slug}`;
  const lose = (what: string) => losses.push({ where, what });
  const { policy } = tenant;
  const origins = tenant.origins.filter((rule) => rule.kind !== 'regex').map((rule) => rule.value);
  for (const rule of tenant.origins) if (rule.kind === 'regex') lose(`regex origin ${rule.value} has no S3 equivalent`);
  const methods = policy.allowedMethods.filter((method) => (S3_METHODS as readonly string[]).includes(method));
  for (const method of policy.allowedMethods) if (!methods.includes(method)) lose(`method ${method} cannot be listed in S3 (only ${S3_METHODS.join(', ')})`);
  if (policy.allowedHeaders.includes('*')) lose('allowedHeaders * in S3 also allows Authorization');
  if (policy.allowCredentials) lose('allowCredentials: S3 rules have no credentials setting');
  if (policy.allowPrivateNetwork) lose('allowPrivateNetwork: S3 has no private-network setting');
  if (policy.pathRules.length > 0) lose(`${policy.pathRules.length} path rule(s): S3 rules apply to the whole bucket`);
  if (policy.mode !== 'enforce') lose(`mode ${policy.mode}: S3 always enforces`);
  if (policy.preflightStatus !== DEFAULT_POLICY_FIELDS.preflightStatus) lose(`preflightStatus ${policy.preflightStatus}: S3 answers preflights 200`);
  if (policy.timingAllowOrigin) lose('timingAllowOrigin: S3 sends no Timing-Allow-Origin');
  if (policy.debugHeader) lose('debugHeader: S3 sends no CORS-Decision header');
  if (origins.length === 0 || methods.length === 0) {
    lose('no origin or method S3 can list: an S3 rule needs at least one of each, so none is written');
    return [];
  }
  return [
    {
      ID: tenant.slug,
      AllowedOrigins: origins,
      AllowedMethods: methods,
      AllowedHeaders: policy.allowedHeaders,
      ExposeHeaders: policy.exposedHeaders,
      MaxAgeSeconds: policy.maxAge,
    },
  ];
}

/** The S3 JSON document as `CORSConfiguration` XML (written by fast-xml-parser's builder). */
export function s3Xml(document: { CORSRules: Record<string, unknown>[] }) {
  return {
    CORSConfiguration: {
      '@_xmlns': 'http://s3.amazonaws.com/doc/2006-03-01/',
      CORSRule: document.CORSRules.map((rule) => ({
        ID: rule.ID,
        AllowedOrigin: rule.AllowedOrigins,
        AllowedMethod: rule.AllowedMethods,
        AllowedHeader: rule.AllowedHeaders,
        ExposeHeader: rule.ExposeHeaders,
        MaxAgeSeconds: rule.MaxAgeSeconds,
      })),
    },
  };
}
