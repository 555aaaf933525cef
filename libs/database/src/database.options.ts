import type { DeadlinePoolOptions } from '#dynamic-cors/postgres';

/** Options of {@link DatabaseModule.forRoot}: the bounds of its pool's waits. */
export type DatabaseOptions = DeadlinePoolOptions;

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');

/** The `DATABASE_*` variables both apps read (validated by each app's configuration). */
export interface DatabaseEnv {
  readonly DATABASE_URL: string;
  readonly DATABASE_POOL_SIZE: number;
  readonly DATABASE_POOL_TIMEOUT_MS: number;
  readonly DATABASE_QUERY_TIMEOUT_MS: number;
  readonly DATABASE_IDLE_TIMEOUT_MS: number;
  readonly DATABASE_KEEPALIVE_MS: number;
}

/** {@link DatabaseOptions} from an app's validated `DATABASE_*` variables. */
export function databaseOptionsOf(env: DatabaseEnv): DatabaseOptions {
  return {
    url: env.DATABASE_URL,
    poolSize: env.DATABASE_POOL_SIZE,
    connectTimeoutMs: env.DATABASE_POOL_TIMEOUT_MS,
    queryTimeoutMs: env.DATABASE_QUERY_TIMEOUT_MS,
    idleTimeoutMs: env.DATABASE_IDLE_TIMEOUT_MS,
    keepAliveDelayMs: env.DATABASE_KEEPALIVE_MS,
  };
}
