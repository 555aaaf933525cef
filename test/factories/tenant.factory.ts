import { randomBytes } from 'node:crypto';

/** A `POST /api/v1/tenants` body. */
export interface TenantInput {
  slug: string;
  name: string;
  hostnames?: string[];
  upstreamUrl?: string | null;
}

/** A valid, unique tenant body; override any field. */
export function buildTenantInput(overrides: Partial<TenantInput> = {}): TenantInput {
  const slug = overrides.slug ?? `tenant-${randomBytes(4).toString('hex')}`;
  return { slug, name: `Tenant ${slug}`, ...overrides };
}
