import type { OriginRuleInput } from '#dynamic-cors';
import type { Loss } from '../document/config-model.js';
import { acceptedOrigins, type FormatReader, invalidSource, isRecord, listOf, type Located, NO_MAX_AGE, requireTenant } from './config-format.js';

/** What `cors()` allows when `methods` is not set. */
const CORS_DEFAULT_METHODS = 'GET,HEAD,PUT,PATCH,POST,DELETE';
const KNOWN = new Set(['origin', 'methods', 'allowedHeaders', 'headers', 'exposedHeaders', 'credentials', 'maxAge', 'preflightContinue', 'optionsSuccessStatus']);

/**
 * The JSON of express's (and mostly @fastify/cors's) `cors()` options into one tenant's policy.
 * `origin: true` (reflect any origin) and an unset `allowedHeaders` (reflect what is requested)
 * have no safe equivalent: they are losses and the tenant keeps its origins or headers, never
 * a silent widening. Regex and function origins cannot travel in JSON, so the tenant keeps its
 * regex rules.
 */
export const readExpress: FormatReader = (value, options) => {
  const slug = requireTenant(options, 'express');
  if (!isRecord(value)) throw invalidSource('body', 'must be the JSON object of cors() options');
  const losses: Loss[] = [];
  for (const key of Object.keys(value)) if (!KNOWN.has(key)) losses.push({ where: key, what: `${key} is not a cors() option corsmesh knows: not imported` });
  const credentials = value.credentials === true;
  const policy: Record<string, unknown> = {
    allowedMethods: listOf(value.methods ?? CORS_DEFAULT_METHODS),
    exposedHeaders: listOf(value.exposedHeaders) ?? [],
    allowCredentials: credentials,
    maxAge: value.maxAge ?? NO_MAX_AGE,
  };
  const headers = listOf(value.allowedHeaders ?? value.headers);
  if (headers === undefined) losses.push({ where: 'allowedHeaders', what: 'unset: cors() reflects whatever headers are requested, which corsmesh never does; the tenant keeps its allowed headers (list them)' });
  else policy.allowedHeaders = headers;
  if (value.preflightContinue === true) losses.push({ where: 'preflightContinue', what: 'preflights are answered by the gateway, never passed on' });
  const status = value.optionsSuccessStatus;
  if (status === 200 || status === 204) policy.preflightStatus = status;
  else if (status !== undefined) losses.push({ where: 'optionsSuccessStatus', what: `${String(status)}: preflights are answered 204 or 200 only; kept as it is` });
  const origins = originsOf(value.origin, losses);
  return {
    tenants: [
      {
        where: 'options',
        value: { slug, policy, ...(origins === undefined ? {} : { origins: acceptedOrigins(origins, credentials, losses) }) },
        keeps: { originKinds: ['regex'] },
      },
    ],
    losses,
  };
};

function originsOf(origin: unknown, losses: Loss[]): Located<OriginRuleInput>[] | undefined {
  // Unset, cors() answers `*`; `false` turns CORS off: no origin is allowed.
  if (origin === undefined) return [{ value: { origin: '*' }, where: 'origin' }];
  if (origin === false) return [];
  if (origin === true) {
    losses.push({ where: 'origin', what: 'true reflects any origin, which corsmesh never does: the tenant keeps its origins (list them)' });
    return undefined;
  }
  const list = Array.isArray(origin) ? origin : [origin];
  return list.flatMap((item, index) => {
    const where = Array.isArray(origin) ? `origin[${index}]` : 'origin';
    if (typeof item === 'string') return [{ value: { origin: item }, where }];
    losses.push({ where, what: 'only strings can be origins in JSON (a RegExp or function cannot travel): not imported' });
    return [];
  });
}
