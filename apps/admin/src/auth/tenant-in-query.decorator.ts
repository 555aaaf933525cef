import { Reflector } from '@nestjs/core';

/**
 * Marks a route outside `/tenants/{slug}` that a tenant API key may use for its own tenant,
 * named in the `tenant` query parameter (the configuration export and import).
 */
export const TenantInQuery = Reflector.createDecorator<true>({ transform: () => true });
