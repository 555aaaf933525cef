import { z } from 'zod';
import { pageQuerySchema } from '../pagination/page.js';

/** Longest accepted upstream URL. */
const MAX_URL_LENGTH = 2048;
/** Most hostnames one tenant may claim. */
export const MAX_HOSTNAMES = 100;

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** A tenant slug: a lower-case DNS label, so `<slug>.<BASE_DOMAIN>` is always a valid host. */
export const slugSchema = z
  .string()
  .regex(
    /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
    'must be a lower-case DNS label: a-z, 0-9 and inner hyphens, 1 to 63 characters',
  )
  .meta({ example: 'acme' });

/** A tenant's display name. */
export const nameSchema = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');

/** A hostname a tenant is served at: lower-cased, no scheme, no port (the gateway ignores ports). */
const hostnameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .superRefine((value, ctx) => {
    if (value.includes('://')) ctx.addIssue({ code: 'custom', message: 'must be a hostname, not a URL' });
    else if (/:\d*$/.test(value)) ctx.addIssue({ code: 'custom', message: 'must not include a port' });
    else if (!DNS_NAME.test(value))
      ctx.addIssue({ code: 'custom', message: 'must be a DNS name such as api.example.com' });
  });

/** A tenant's hostnames: unique, lower-cased DNS names. */
export const hostnamesSchema = z
  .array(hostnameSchema)
  .max(MAX_HOSTNAMES, `must have at most ${MAX_HOSTNAMES} entries`)
  .superRefine((hostnames, ctx) => {
    hostnames.forEach((hostname, index) => {
      const first = hostnames.indexOf(hostname);
      if (first !== index) ctx.addIssue({ code: 'custom', path: [index], message: `repeats hostnames[${first}]` });
    });
  })
  .meta({
    example: ['api.acme.example'],
    description:
      'DNS names the gateway serves this tenant at (no scheme, no port; each at most once, across all tenants). ' +
      'Refused with 400: IP literals and `localhost` names, which would capture every `/t/` request on that address, ' +
      'unless the operator lists them in UPSTREAM_ALLOWED_HOSTS.',
  });

/** An absolute http(s) URL without credentials (they would end up in listings and the audit log). */
export const upstreamUrlSchema = z
  .string()
  .trim()
  .max(MAX_URL_LENGTH, `must be at most ${MAX_URL_LENGTH} characters`)
  .superRefine((value, ctx) => {
    const url = parseUrl(value);
    if (url === null)
      ctx.addIssue({ code: 'custom', message: 'must be an absolute URL such as https://backend.example.com' });
    else if (url.protocol !== 'http:' && url.protocol !== 'https:')
      ctx.addIssue({ code: 'custom', message: 'must be an http or https URL' });
    else if (url.username !== '' || url.password !== '')
      ctx.addIssue({ code: 'custom', message: 'must not contain credentials' });
  })
  .meta({
    example: 'https://backend.acme.example',
    description:
      'Where the gateway proxies this tenant’s requests (absolute http or https URL, no credentials; its path is a base the request path stays under). ' +
      'Refused with 400: loopback, link-local, cloud metadata (169.254.169.254) and `localhost` addresses, ' +
      'unless the operator lists them in UPSTREAM_ALLOWED_HOSTS. `null`: no upstream (the built-in echo).',
  });

/** `POST /tenants`. */
export const createTenantSchema = z
  .strictObject({
    slug: slugSchema,
    name: nameSchema.meta({ example: 'Acme Corporation' }),
    hostnames: hostnamesSchema.default([]),
    upstreamUrl: upstreamUrlSchema.nullable().default(null),
  })
  .meta({ id: 'CreateTenant' });

/** A validated `POST /tenants` body. */
export type CreateTenantInput = z.output<typeof createTenantSchema>;

/** `PATCH /tenants/{slug}`: any subset; `hostnames` replaces the list, `upstreamUrl: null` clears it. */
export const updateTenantSchema = z
  .strictObject({
    slug: slugSchema.optional(),
    name: nameSchema.optional(),
    hostnames: hostnamesSchema.optional(),
    upstreamUrl: upstreamUrlSchema.nullable().optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'must change at least one field')
  .meta({ id: 'UpdateTenant' });

/** A validated `PATCH /tenants/{slug}` body. */
export type UpdateTenantInput = z.output<typeof updateTenantSchema>;

/** `GET /tenants?limit=&cursor=&search=`. */
export const listTenantsQuerySchema = pageQuerySchema.extend({
  search: z.string().trim().max(200, 'must be at most 200 characters').optional(),
});

/** A validated tenant list query. */
export type ListTenantsQuery = z.output<typeof listTenantsQuerySchema>;

function parseUrl(value: string): URL | null {
  // URL.parse needs Node 22; the project supports Node 20.
  try {
    return new URL(value);
  } catch {
    // Not a URL: reported as a validation issue by the caller.
    return null;
  }
}
