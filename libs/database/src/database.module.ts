import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DATABASE_OPTIONS, type DatabaseOptions } from './database.options.js';
import { DatabaseHealthIndicator } from './database.health.js';
import { PrismaService } from './prisma.service.js';

/** Provides {@link PrismaService} and the database readiness check to the whole app. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DATABASE_OPTIONS, useValue: options }, PrismaService, DatabaseHealthIndicator],
      exports: [PrismaService, DatabaseHealthIndicator, DATABASE_OPTIONS],
    };
  }
}
