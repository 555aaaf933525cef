import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '#problem-details';
import { parseApiKeyToken } from './api-key-token.js';
import { ApiKeyAuthenticator } from './api-key.authenticator.js';
import { AuthFailureLimiter } from './auth-failure.limiter.js';
import type { Principal } from './principal.js';
import { RootOnly } from './root-only.decorator.js';
import { TenantInQuery } from './tenant-in-query.decorator.js';

// RFC 6750 §3: a 401 names the scheme; `error` only when a token was sent and was bad.
const REALM = 'Bearer realm="corsmesh-admin"';

/**
 * Authenticates `Authorization: Bearer <token>` and authorises the route:
 *
 * - root (the `ADMIN_TOKEN` or a root-scoped key) may do everything;
 * - a tenant key may use only routes under `/tenants/{its slug}` (or, on routes marked
 *   {@link TenantInQuery}, naming its slug in `?tenant=`), and not those marked {@link RootOnly}. Another tenant's route is 403 whether or not that tenant exists, so a
 *   key cannot probe for other tenants' slugs.
 *
 * Failed authentications are counted per client address and per API key id (see
 * {@link AuthFailureLimiter}): past the limit a wrong token gets 429 with `Retry-After`. A
 * correct token is always checked and always authenticates, so no one can lock out a valid
 * credential by failing on purpose.
 */
@Injectable()
export class ApiAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: ApiKeyAuthenticator,
    private readonly limiter: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    // Answers depend on who asks and one carries a new key's secret: no cache may keep them.
    void reply.header('cache-control', 'no-store');
    const principal = await this.authenticate(request, reply);
    request.principal = principal;
    this.authorise(principal, request, context);
    return true;
  }

  private async authenticate(request: FastifyRequest, reply: FastifyReply): Promise<Principal> {
    const header = request.headers.authorization;
    if (header === undefined || header === '') {
      void reply.header('www-authenticate', REALM);
      throw new DomainError('unauthenticated', 'send the root token or an API key as Authorization: Bearer <token>');
    }
    const match = /^Bearer +(\S+) *$/i.exec(header);
    const token = match?.[1];
    const principal = token === undefined ? null : await this.authenticator.authenticate(token);
    if (principal !== null) return principal;
    // `request.ip` is the socket peer unless TRUST_PROXY trusts it to report the client.
    const retryAfter = this.limiter.recordFailure(request.ip, token === undefined ? null : (parseApiKeyToken(token)?.prefix ?? null));
    if (retryAfter > 0) {
      void reply.header('retry-after', String(retryAfter));
      throw new DomainError('too_many_requests', `too many failed authentications; retry in ${retryAfter} s`);
    }
    void reply.header('www-authenticate', `${REALM}, error="invalid_token"`);
    throw new DomainError(
      'unauthenticated',
      token === undefined ? 'the Authorization header must be "Bearer <token>"' : 'the token is not valid or was revoked',
    );
  }

  private authorise(principal: Principal, request: FastifyRequest, context: ExecutionContext): void {
    if (principal.kind === 'root') return;
    const slug = this.slugOf(request, context);
    if (slug === undefined) {
      throw new DomainError('forbidden', 'an API key may only use the routes of its own tenant');
    }
    if (slug !== principal.tenantSlug) {
      throw new DomainError('forbidden', `this API key may only manage tenant ${principal.tenantSlug}`);
    }
    const rootOnly = this.reflector.getAllAndOverride(RootOnly, [context.getHandler(), context.getClass()]);
    if (rootOnly === true) throw new DomainError('forbidden', 'this route needs the root token');
  }

  private slugOf(request: FastifyRequest, context: ExecutionContext): string | undefined {
    const slug = (request.params as Record<string, string | undefined> | undefined)?.slug;
    if (slug !== undefined) return slug;
    if (this.reflector.getAllAndOverride(TenantInQuery, [context.getHandler(), context.getClass()]) !== true) return undefined;
    const tenant = (request.query as Record<string, unknown> | undefined)?.tenant;
    return typeof tenant === 'string' ? tenant : undefined;
  }
}

