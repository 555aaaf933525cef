import { FORBIDDEN_METHODS, type OriginRuleInput } from '#dynamic-cors';
import { isDeepStrictEqual } from 'node:util';
import type { Loss, TenantDraft, TenantState } from '../document/config-model.js';
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
  type ReadOptions,
} from './config-format.js';

/** What Kong allows when a cors plugin sets no `methods`. */
const KONG_ALL_METHODS = ['GET', 'HEAD', 'PUT', 'PATCH', 'POST', 'DELETE', 'OPTIONS', 'TRACE', 'CONNECT'];
const TENANT_TAG = /^tenant-(.+)$/;
const KNOWN_CONFIG = new Set(['origins', 'methods', 'headers', 'exposed_headers', 'credentials', 'max_age', 'private_network', 'preflight_continue']);
// The regex a wildcard origin is exported as (one or more labels before the rest), so that it
// is read back as the wildcard it was.
const WILDCARD_LABELS = '(?:[a-z0-9-]+\\.)+';

type Entity = Record<string, unknown>;
/** An entity of the file with where it is. */
interface Found {
  readonly entity: Entity;
  readonly where: string;
}

/** A route (or a service without routes) that has a cors plugin: one tenant's CORS in Kong. */
interface CorsUnit {
  readonly where: string;
  readonly hosts: string[];
  readonly tags: string[];
  readonly service: Entity | undefined;
  readonly plugin: { readonly config: Entity; readonly where: string };
}

/**
 * A decK file into tenants. Each route with a `cors` plugin (its own, or its service's, as Kong
 * applies them) is a tenant: the stored tenant that has the route's first host, else the one a
 * `tenant-<slug>` tag names, else `&tenant=`. The route's hosts become the tenant's hostnames
 * and its service's `url` the upstream. Per-path rules and Kong's regex semantics (anchored at
 * the end only; without `:` matched against the host) are translated where safe and reported.
 */
export const readKong: FormatReader = (value, options) => {
  if (!isRecord(value)) throw invalidSource('body', 'is not a decK file: expected an object with services');
  const losses: Loss[] = [];
  const units = corsUnits(value, losses);
  const bySlug = new Map<string, { units: CorsUnit[] }>();
  for (const unit of units) {
    const slug = tenantOf(unit, options);
    if (slug === undefined) {
      throw invalidSource(unit.where, 'cannot tell which tenant this is: no stored tenant has its first host, it has no tenant-<slug> tag, and no tenant was given');
    }
    const group = bySlug.get(slug) ?? { units: [] };
    group.units.push(unit);
    bySlug.set(slug, group);
  }
  const tenants: TenantDraft[] = [...bySlug].map(([slug, { units: [first, ...others] }]) => {
    for (const other of others) {
      if (!isDeepStrictEqual(other.plugin.config, first!.plugin.config))
        losses.push({ where: other.plugin.where, what: `a second cors configuration for tenant ${slug} (first at ${first!.plugin.where}): only the first is imported` });
    }
    return draftOf(slug, [first!, ...others], losses);
  });
  return { tenants, losses };
};

function corsUnits(file: Entity, losses: Loss[]): CorsUnit[] {
  const services = entities(file.services, 'services');
  const topRoutes = entities(file.routes, 'routes');
  const topPlugins = entities(file.plugins, 'plugins');
  // A route or plugin names its service (or route) by name or id, as a string or `{name}`/`{id}`.
  const refOf = (value: unknown): unknown => (isRecord(value) ? (value.name ?? value.id) : value);
  const names = (entity: Entity): unknown[] => [entity.name, entity.id].filter((v) => typeof v === 'string');
  const findService = (value: unknown) => services.find(({ entity }) => names(entity).includes(refOf(value)))?.entity;
  const routes = [
    ...services.flatMap(({ entity: service, where }) =>
      entities(service.routes, `${where}.routes`).map((route) => ({ ...route, service })),
    ),
    ...topRoutes.map((route) => ({ ...route, service: findService(route.entity.service) })),
  ];
  const corsOf = (owner: Entity, where: string, kind: 'route' | 'service') => {
    const own = entities(owner.plugins, `${where}.plugins`).find(({ entity }) => entity.name === 'cors');
    const top = topPlugins.find(({ entity }) => entity.name === 'cors' && entity[kind] !== undefined && names(owner).includes(refOf(entity[kind])));
    const found = own ?? top;
    if (found === undefined) return undefined;
    if (found.entity.enabled === false) {
      losses.push({ where: found.where, what: 'disabled cors plugin: not imported' });
      return undefined;
    }
    const config = found.entity.config ?? {};
    if (!isRecord(config)) throw invalidSource(`${found.where}.config`, 'must be an object');
    return { config, where: found.where };
  };
  for (const { entity, where } of topPlugins) {
    if (entity.name === 'cors' && entity.route === undefined && entity.service === undefined)
      losses.push({ where, what: 'a global cors plugin applies to every route: not imported (give each tenant its own)' });
  }
  const units: CorsUnit[] = [];
  const servicesWithRoutes = new Set(routes.map((route) => route.service));
  for (const { entity: route, where, service } of routes) {
    const plugin = corsOf(route, where, 'route') ?? (service === undefined ? undefined : corsOf(service, serviceWhere(services, service), 'service'));
    if (plugin === undefined) continue;
    units.push({ where, hosts: strings(route.hosts), tags: [...strings(route.tags), ...strings(service?.tags)], service, plugin });
  }
  for (const { entity: service, where } of services) {
    if (servicesWithRoutes.has(service)) continue;
    const plugin = corsOf(service, where, 'service');
    if (plugin !== undefined) units.push({ where, hosts: [], tags: strings(service.tags), service, plugin });
  }
  return units;
}

function serviceWhere(services: Found[], service: Entity): string {
  return services.find(({ entity }) => entity === service)?.where ?? 'services';
}

function entities(value: unknown, where: string): Found[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalidSource(where, 'must be a list');
  return value.map((entity: unknown, index) => {
    if (!isRecord(entity)) throw invalidSource(`${where}[${index}]`, 'must be an object');
    return { entity, where: `${where}[${index}]` };
  });
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

function tenantOf(unit: CorsUnit, options: ReadOptions): string | undefined {
  const host = unit.hosts[0];
  const byHost = host === undefined ? undefined : options.tenantOfHost?.(host.toLowerCase());
  if (byHost !== undefined) return byHost;
  const tagged = unit.tags.map((tag) => TENANT_TAG.exec(tag)?.[1]).find((slug) => slug !== undefined);
  return tagged ?? (options.tenant === '' ? undefined : options.tenant);
}

function draftOf(slug: string, units: CorsUnit[], losses: Loss[]): TenantDraft {
  const [first] = units as [CorsUnit];
  const { config, where } = first.plugin;
  for (const key of Object.keys(config)) {
    if (!KNOWN_CONFIG.has(key) && config[key] !== null) losses.push({ where: `${where}.config.${key}`, what: `${key} has no corsmesh equivalent: not imported` });
  }
  const credentials = config.credentials === true;
  const policy: Record<string, unknown> = {
    allowCredentials: credentials,
    exposedHeaders: listOf(config.exposed_headers) ?? [],
    maxAge: config.max_age === undefined || config.max_age === null ? NO_MAX_AGE : config.max_age,
    allowPrivateNetwork: config.private_network === true,
  };
  const methods = listOf(config.methods) ?? KONG_ALL_METHODS;
  const forbidden = methods.filter((m) => typeof m === 'string' && FORBIDDEN_METHODS.has(m.toUpperCase()));
  if (forbidden.length > 0) losses.push({ where: `${where}.config.methods`, what: `${forbidden.join(', ')} forbidden by the Fetch standard: not imported` });
  policy.allowedMethods = methods.filter((m) => !forbidden.includes(m));
  const headers = listOf(config.headers);
  if (headers === undefined) losses.push({ where: `${where}.config.headers`, what: 'unset: Kong reflects whatever headers are requested, which corsmesh never does; the tenant keeps its allowed headers (list them)' });
  else policy.allowedHeaders = headers;
  if (config.preflight_continue === true) losses.push({ where: `${where}.config.preflight_continue`, what: 'preflights are answered by the gateway, never passed to the upstream' });
  const hosts = [...new Set(units.flatMap((unit) => unit.hosts.map((host) => host.toLowerCase())))];
  for (const host of hosts.filter((h) => h.includes('*'))) losses.push({ where: first.where, what: `wildcard host ${host} cannot be a tenant hostname: not imported` });
  const upstreamUrl = first.service === undefined ? undefined : urlOf(first.service);
  return {
    where: first.where,
    value: {
      slug,
      ...(hosts.length > 0 ? { hostnames: hosts.filter((h) => !h.includes('*')) } : {}),
      ...(upstreamUrl === undefined ? {} : { upstreamUrl }),
      policy,
      origins: acceptedOrigins(originsOf(config.origins, `${where}.config.origins`, losses), credentials, losses),
    },
    nameIfNew: typeof first.service?.name === 'string' ? first.service.name : undefined,
  };
}

function urlOf(service: Entity): string | undefined {
  if (typeof service.url === 'string') return service.url;
  if (typeof service.host !== 'string') return undefined;
  const protocol = typeof service.protocol === 'string' ? service.protocol : 'http';
  const port = service.port === undefined ? '' : `:${String(service.port)}`;
  return `${protocol}://${service.host}${port}${typeof service.path === 'string' ? service.path : ''}`;
}

function originsOf(value: unknown, where: string, losses: Loss[]): Located<OriginRuleInput>[] {
  // No origins: Kong answers `Access-Control-Allow-Origin: *`.
  const list = listOf(value) ?? [];
  if (list.length === 0) return [{ value: { origin: '*' }, where }];
  return list.map((origin, index) => ({ value: originOf(String(origin), `${where}[${index}]`, losses), where: `${where}[${index}]` }));
}

function originOf(origin: string, where: string, losses: Loss[]): OriginRuleInput {
  if (origin === '*' || /^[a-z][a-z0-9+.-]*:\/\/[a-z0-9.-]+(?::\d+)?$/i.test(origin) || origin === 'null') return { origin };
  const wildcard = new RegExp(`^\\^([a-z][a-z0-9+.-]*)://${escapeRegex(WILDCARD_LABELS)}((?:[a-z0-9-]|\\\\\\.)+(?::\\d+)?)\\$$`).exec(origin);
  if (wildcard) return { origin: `${wildcard[1]}://*.${wildcard[2]!.replaceAll('\\.', '.')}` };
  if (!origin.includes(':')) {
    losses.push({ where, what: 'Kong matches a regex without ":" against the host: imported as http and https origins of that host, on any port' });
    return { pattern: `^https?://${origin.replace(/^\^/, '').replace(/\$$/, '')}(?::[0-9]+)?$`, type: 'regex' };
  }
  if (!origin.startsWith('^')) losses.push({ where, what: 'Kong anchors regexes at the end only: imported anchored at the start too' });
  return { pattern: `${origin.startsWith('^') ? '' : '^'}${origin}${origin.endsWith('$') ? '' : '$'}`, type: 'regex' };
}

function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** Tenants as a decK file: a service per tenant (`tenant-<slug>` tag) with one route and its cors plugin. */
export const writeKong: FormatWriter = (tenants) => {
  const losses: Loss[] = [];
  return { document: { _format_version: '3.0', services: tenants.map((tenant) => serviceFor(tenant, losses)) }, losses };
};

function serviceFor(tenant: TenantState, losses: Loss[]): object {
  const where = `tenant ${tenant.slug}`;
  const lose = (what: string) => losses.push({ where, what });
  const { policy } = tenant;
  if (tenant.name !== tenant.slug) lose(`name ${tenant.name}: a Kong service is named by the slug`);
  if (tenant.upstreamUrl === null) lose('no upstream: a Kong service needs a url, add one before syncing');
  if (policy.pathRules.length > 0) lose(`${policy.pathRules.length} path rule(s) are not exported`);
  if (policy.mode !== 'enforce') lose(`mode ${policy.mode}: Kong always enforces`);
  if (policy.preflightStatus !== DEFAULT_POLICY_FIELDS.preflightStatus) lose(`preflightStatus ${policy.preflightStatus}: Kong answers preflights 200`);
  if (policy.timingAllowOrigin) lose('timingAllowOrigin: the cors plugin sends no Timing-Allow-Origin');
  if (policy.debugHeader) lose('debugHeader: the cors plugin sends no CORS-Decision header');
  const tags = [`tenant-${tenant.slug}`];
  return {
    name: tenant.slug,
    ...(tenant.upstreamUrl === null ? {} : { url: tenant.upstreamUrl }),
    tags,
    routes: [
      {
        name: tenant.slug,
        ...(tenant.hostnames.length > 0 ? { hosts: [...tenant.hostnames] } : { paths: [`/t/${tenant.slug}`] }),
        tags,
        plugins: [
          {
            name: 'cors',
            enabled: true,
            config: {
              origins: tenant.origins.map(kongOrigin),
              methods: policy.allowedMethods,
              headers: policy.allowedHeaders,
              exposed_headers: policy.exposedHeaders,
              credentials: policy.allowCredentials,
              max_age: policy.maxAge,
              private_network: policy.allowPrivateNetwork,
              preflight_continue: false,
            },
          },
        ],
      },
    ],
  };
}

function kongOrigin(rule: TenantState['origins'][number]): string {
  if (rule.kind !== 'wildcard') return rule.value;
  const [scheme, rest] = rule.value.split('://*.') as [string, string];
  return `^${scheme}://${WILDCARD_LABELS}${escapeRegex(rest)}$`;
}
