import { Controller, Get, Header } from '@nestjs/common';
import { GatewayMetrics } from './gateway-metrics.js';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: GatewayMetrics) {}

  /** Prometheus text exposition format. */
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
