import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/**
 * Who is calling, as established by {@link ApiAuthGuard}. `actor` is what audit events
 * record: `root` for the `ADMIN_TOKEN`, `key:<prefix>` for an API key; `keyId` is the key's
 * id (null for the `ADMIN_TOKEN`), recorded on the keys it creates.
 */
export type Principal =
  | { readonly kind: 'root'; readonly actor: string; readonly keyId: string | null }
  | {
      readonly kind: 'tenant';
      readonly actor: string;
      readonly keyId: string;
      readonly tenantId: string;
      readonly tenantSlug: string;
    };

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by ApiAuthGuard on every `/api/v1` request that reaches a handler. */
    principal?: Principal;
  }
}

/** The authenticated caller of an `/api/v1` handler. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal => {
  const principal = context.switchToHttp().getRequest<FastifyRequest>().principal;
  // Only reachable when a controller forgot @UseGuards(ApiAuthGuard): a bug, not a client error.
  if (principal === undefined) throw new Error('no principal: the route is not behind ApiAuthGuard');
  return principal;
});
