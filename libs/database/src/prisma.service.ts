import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import type pg from 'pg';
import { PrismaClient } from './generated/prisma/client.js';
import { DATABASE_OPTIONS, QUERY_TIMEOUT_GRACE_MS, type DatabaseOptions } from './database.options.js';
import { DeadlineClient } from './deadline-client.js';
import { RetryingPool } from './retrying-pool.js';

/**
 * A session left idle inside a transaction (its client lost on a partition, say) is ended by
 * PostgreSQL after this long, so it does not hold its row locks until TCP notices. Prisma's
 * interactive transactions end within 5 s by default, so no live one is cut short.
 */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 15_000;

/**
 * The `pg` pool settings of {@link DatabaseOptions}: every wait bounded (a pooled connection, a
 * statement, an answer), TCP keepalive on, and a query that gets no answer closes its connection.
 */
function poolConfig(options: DatabaseOptions): pg.PoolConfig {
  return {
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
    idleTimeoutMillis: options.idleTimeoutMs,
    ...(options.queryTimeoutMs === undefined
      ? {}
      : {
          statement_timeout: options.queryTimeoutMs,
          query_timeout: options.queryTimeoutMs + QUERY_TIMEOUT_GRACE_MS,
          idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
        }),
    keepAlive: true,
    keepAliveInitialDelayMillis: options.keepAliveDelayMs,
    Client: DeadlineClient,
  };
}

/** The Prisma 7 client over `pg` (no Rust query engine), connected when the module starts. */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnModuleDestroy {
  constructor(@Inject(DATABASE_OPTIONS) options: DatabaseOptions) {
    super({ adapter: new PrismaPg(new RetryingPool(poolConfig(options)), { disposeExternalPool: true }) });
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
