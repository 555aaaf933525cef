import { Inject, Module, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { Logger } from 'pino';
import { PrismaService } from '#database';
import type { GatewayConfig } from '../config/gateway.config.js';
import { GATEWAY_CONFIG, GATEWAY_LOGGER } from '../config/gateway-config.token.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { GatewayPolicySource } from '../policies/gateway-policy.source.js';
import { PoliciesModule } from '../policies/policies.module.js';
import { TrafficFlusher } from './traffic-flusher.js';
import { TrafficRecorder } from './traffic-recorder.js';
import { TrafficWriter } from './traffic.writer.js';

/**
 * Traffic insight on the gateway (SPEC "Traffic insight"): decisions aggregated in memory by
 * the {@link TrafficRecorder}, written to PostgreSQL by the {@link TrafficFlusher}. With
 * `TRAFFIC_RECORDING=false` the recorder is `null` and nothing is recorded.
 */
@Module({
  imports: [MetricsModule, PoliciesModule],
  providers: [
    {
      provide: TrafficRecorder,
      inject: [GATEWAY_CONFIG, GatewayPolicySource],
      useFactory: (config: GatewayConfig, source: GatewayPolicySource) =>
        config.TRAFFIC_RECORDING
          ? new TrafficRecorder(
              { perTenant: config.TRAFFIC_MAX_ENTRIES_PER_TENANT, total: config.TRAFFIC_MAX_ENTRIES },
              (request, target) => source.pathStart(request, target),
            )
          : null,
    },
    {
      provide: TrafficFlusher,
      inject: [TrafficRecorder, PrismaService, GATEWAY_CONFIG, GATEWAY_LOGGER, GatewayMetrics],
      useFactory: (recorder: TrafficRecorder | null, prisma: PrismaService, config: GatewayConfig, logger: Logger, metrics: GatewayMetrics) =>
        recorder === null
          ? null
          : new TrafficFlusher({
              recorder,
              writer: new TrafficWriter(prisma, {
                refusalsPerTenant: config.TRAFFIC_MAX_ENTRIES_PER_TENANT,
                tuplesPerTenant: config.TRAFFIC_MAX_ENTRIES_PER_TENANT,
              }),
              intervalMs: config.TRAFFIC_FLUSH_INTERVAL_MS,
              logger,
              events: metrics.trafficEvents,
            }),
    },
  ],
  exports: [TrafficRecorder],
})
export class TrafficModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(@Inject(TrafficFlusher) private readonly flusher: TrafficFlusher | null) {}

  onApplicationBootstrap(): void {
    this.flusher?.start();
  }

  /** The last window is written before the database connections close. */
  async onModuleDestroy(): Promise<void> {
    await this.flusher?.stop();
  }
}
