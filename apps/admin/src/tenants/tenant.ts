import { z } from 'zod';

/**
 * What a tenant-owned query needs to know about its tenant. Repositories of tenant-owned rows
 * take one first, so a query that forgets its tenant does not compile.
 */
export interface TenantRef {
  readonly id: string;
  readonly slug: string;
}

/** A tenant as the API returns it. */
export const tenantView = z
  .object({
    id: z.uuid().meta({ example: '0b9f7c8e-4d7a-4f1e-9a51-1e2b3c4d5e6f' }),
    slug: z.string().meta({ description: 'URL name, `/t/<slug>` on the gateway', example: 'acme' }),
    name: z.string().meta({ example: 'Acme Corporation' }),
    hostnames: z.array(z.string()).meta({ description: 'Hosts routed to this tenant', example: ['api.acme.example'] }),
    upstreamUrl: z
      .string()
      .nullable()
      .meta({
        description: 'Where the gateway forwards requests; null: echo handler',
        example: 'https://backend.acme.example',
      }),
    createdAt: z.iso.datetime().meta({ example: '2026-11-25T13:00:00.000Z' }),
    updatedAt: z.iso.datetime().meta({ example: '2026-11-25T13:00:00.000Z' }),
  })
  .meta({ id: 'Tenant' });

/** A tenant as the API returns it. */
export type Tenant = z.infer<typeof tenantView>;

/** One page of tenants. */
export const tenantPageView = z
  .object({
    items: z.array(tenantView),
    nextCursor: z
      .string()
      .nullable()
      .meta({ description: 'Pass as `cursor` for the next page; null on the last page' }),
  })
  .meta({ id: 'TenantPage' });
