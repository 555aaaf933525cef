/** Options of {@link DatabaseModule.forRoot}. */
export interface DatabaseOptions {
  /** PostgreSQL connection URL. */
  readonly url: string;
  /** Connections in the pool of this process. */
  readonly poolSize?: number;
  /** How long to wait for a connection before failing, in milliseconds. */
  readonly connectTimeoutMs?: number;
}

export const DATABASE_OPTIONS = Symbol('DATABASE_OPTIONS');
