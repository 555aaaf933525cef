import { Inject, Injectable } from '@nestjs/common';
import { isIP } from 'node:net';
import { DomainError, type InvalidField } from '#problem-details';
import { compileHostAllowList, compileUpstreamHostGuard, type UpstreamHostGuard } from '#service-runtime';
import type { AdminConfig } from '../config/admin.config.js';
import { ADMIN_CONFIG } from '../config/admin-config.token.js';

const ALLOW_HINT = 'unless the operator lists it in UPSTREAM_ALLOWED_HOSTS';

/**
 * Refuses what a root mistake could turn against the platform (issue 19, item 9): an
 * `upstreamUrl` on loopback, link-local, unspecified or cloud-metadata addresses or a
 * `localhost` name, and tenant hostnames that are IP literals or `localhost` names (they
 * would capture every `/t/` request made to that address) — unless the operator lists the
 * host in `UPSTREAM_ALLOWED_HOSTS`. Names are checked as written; the gateway also checks the
 * address an upstream name resolves to, when it connects, and refuses its own addresses.
 */
@Injectable()
export class TenantHostsValidator {
  private readonly upstreamGuard: UpstreamHostGuard;
  private readonly isListed: (host: string) => boolean;

  constructor(@Inject(ADMIN_CONFIG) config: AdminConfig) {
    this.upstreamGuard = compileUpstreamHostGuard(config.UPSTREAM_ALLOWED_HOSTS);
    this.isListed = compileHostAllowList(config.UPSTREAM_ALLOWED_HOSTS);
  }

  /** Throws a 400 naming each refused field. */
  check(input: { readonly hostnames?: readonly string[]; readonly upstreamUrl?: string | null }): void {
    const invalid: InvalidField[] = [];
    input.hostnames?.forEach((hostname, index) => {
      const kind = isIP(hostname) !== 0 ? 'an IP address' : hostname === 'localhost' || hostname.endsWith('.localhost') ? 'a localhost name' : undefined;
      if (kind !== undefined && !this.isListed(hostname)) {
        invalid.push({ field: `hostnames[${index}]`, reason: `is ${kind}: it would capture every /t/ request made to that address; use a DNS name, ${ALLOW_HINT}` });
      }
    });
    if (input.upstreamUrl) {
      const reason = this.upstreamGuard(new URL(input.upstreamUrl).hostname);
      if (reason !== undefined) invalid.push({ field: 'upstreamUrl', reason: `${reason}, refused as an upstream ${ALLOW_HINT}` });
    }
    if (invalid.length) throw DomainError.validation(invalid);
  }
}
