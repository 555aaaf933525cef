import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { HealthCheckService, HealthIndicatorService, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { DatabaseHealthIndicator } from '#database';
import { READINESS_PROBES, type ReadinessProbe } from './readiness-probe.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: DatabaseHealthIndicator,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_PROBES) private readonly probes: ReadinessProbe[],
  ) {}

  /** The process is up; says nothing about its dependencies (a liveness probe must not). */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /**
   * Ready to serve: the database answers, every migration of this build is applied, and the
   * app's own probes pass.
   * Answers terminus' own report with 503 when not ready, rather than a problem document,
   * because probes and operators read its per-check details.
   */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: database reachable and migrations applied' })
  @ApiResponse({ status: 200, description: 'ready' })
  @ApiResponse({ status: 503, description: 'not ready; the body says which check failed' })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult | string | object> {
    try {
      return await this.health.check([
        () => this.database.isReady(),
        ...this.probes.map((probe) => async () => {
          const indicator = this.indicators.check(probe.name);
          return probe.isReady() ? indicator.up() : indicator.down({ message: probe.notReadyMessage });
        }),
      ]);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      void reply.status(503);
      return error.getResponse();
    }
  }
}
