import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import type { PostgresPolicySource } from '@corsmesh/dynamic-cors/postgres';

export const POLICY_SOURCE = Symbol('policy source');

/**
 * Liveness and readiness, wired to the policy source (the same in both examples: copy it).
 * Not under /t/, so the CORS layer leaves these routes alone.
 */
@Controller('health')
export class HealthController {
  constructor(@Inject(POLICY_SOURCE) private readonly source: PostgresPolicySource) {}

  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Not ready while policy changes may be missed (the change-notice connection is down). */
  @Get('ready')
  ready() {
    if (!this.source.isReady) throw new ServiceUnavailableException('not listening for policy changes: cached policies may be stale');
    return { status: 'ok' };
  }
}
