import { type DynamicModule, Global, Module } from '@nestjs/common';
import { DATABASE_OPTIONS, type DatabaseOptions } from './database.options.js';
import { PrismaService } from './prisma.service.js';

/** Provides {@link PrismaService} to the whole app. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(options: DatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DATABASE_OPTIONS, useValue: options }, PrismaService],
      exports: [PrismaService, DATABASE_OPTIONS],
    };
  }
}
