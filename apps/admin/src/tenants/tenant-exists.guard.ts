import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { TenantsRepository } from './tenants.repository.js';

/**
 * Answers 404 for a route under `/tenants/{slug}` whose tenant does not exist, before any body
 * or query is validated (SPEC "Round trip": existence first on every route). Guards run before
 * pipes; this one runs after authentication, so a tenant key still gets 403 for another
 * tenant's slug whether it exists or not. The services look the tenant up again in their own
 * transaction: this check only orders the answers.
 */
@Injectable()
export class TenantExistsGuard implements CanActivate {
  constructor(private readonly tenants: TenantsRepository) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const slug = (request.params as Record<string, string | undefined> | undefined)?.slug;
    if (slug !== undefined) await this.tenants.requireRef(slug);
    return true;
  }
}
