import { type DynamicModule, Module, type ModuleMetadata } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { DatabaseHealthIndicator } from '#database';
import { HealthController } from './health.controller.js';
import { READINESS_PROBES, type ReadinessProbe } from './readiness-probe.js';

export interface HealthModuleOptions {
  readonly imports?: ModuleMetadata['imports'];
  readonly inject?: readonly (string | symbol | (abstract new (...args: never[]) => unknown))[];
  /** Readiness conditions beside the database. */
  readonly probes?: (...deps: never[]) => ReadinessProbe[];
}

/** `GET /health/live` and `GET /health/ready`; needs the (global) database module. */
@Module({})
export class HealthModule {
  static forRoot(options: HealthModuleOptions = {}): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false }), ...(options.imports ?? [])],
      controllers: [HealthController],
      providers: [
        DatabaseHealthIndicator,
        { provide: READINESS_PROBES, inject: [...(options.inject ?? [])], useFactory: options.probes ?? (() => []) },
      ],
    };
  }
}
