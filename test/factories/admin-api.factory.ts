import type { AdminTestApp } from '../support/admin-test-app.js';
import { buildTenantInput, type TenantInput } from './tenant.factory.js';

/** A tenant created through the API (as root), with the response body. */
export async function createTenant(
  api: AdminTestApp,
  overrides: Partial<TenantInput> = {},
): Promise<{ id: string; slug: string }> {
  const response = await api.request({ method: 'POST', url: '/api/v1/tenants', body: buildTenantInput(overrides) });
  if (response.statusCode !== 201) throw new Error(`creating a tenant failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** An API key of `slug` created through the API (as root); `secret` is its bearer token. */
export async function createApiKey(
  api: AdminTestApp,
  slug: string,
  name = 'test key',
): Promise<{ id: string; prefix: string; secret: string }> {
  const response = await api.request({ method: 'POST', url: `/api/v1/tenants/${slug}/api-keys`, body: { name } });
  if (response.statusCode !== 201)
    throw new Error(`creating an API key failed: ${response.statusCode} ${response.body}`);
  return response.json();
}

/** Adds origin rules to `slug` through the API (as root). */
export async function addOrigins(api: AdminTestApp, slug: string, ...origins: string[]): Promise<void> {
  for (const origin of origins) {
    const response = await api.request({ method: 'POST', url: `/api/v1/tenants/${slug}/origins`, body: { origin } });
    if (response.statusCode !== 201)
      throw new Error(`adding ${origin} failed: ${response.statusCode} ${response.body}`);
  }
}
