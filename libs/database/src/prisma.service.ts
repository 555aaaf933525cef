import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { deadlinePool, type Queryable } from '#dynamic-cors/postgres';
import { PrismaClient } from './generated/prisma/client.js';
import { DATABASE_OPTIONS, type DatabaseOptions } from './database.options.js';

/**
 * The Prisma 7 client over `pg` (no Rust query engine), connected when the module starts. Its
 * pool (every wait bounded: `deadlinePool`) is also `pool`, for the statements written in SQL
 * for `pg` (the tenant policy reader), so that one process holds one pool.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnModuleDestroy {
  readonly pool: Queryable;

  constructor(@Inject(DATABASE_OPTIONS) options: DatabaseOptions) {
    const pool = deadlinePool(options);
    super({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
    this.pool = pool;
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
