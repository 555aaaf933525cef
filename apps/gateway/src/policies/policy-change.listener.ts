import type { Logger } from 'pino';
import pg from 'pg';
import { POLICY_CHANGED_CHANNEL, type PolicyChangedEvent } from '#database';

export interface PolicyChangeListenerOptions {
  readonly databaseUrl: string;
  readonly logger: Logger;
  /** A committed change notice. */
  readonly onChange: (event: PolicyChangedEvent) => void;
  /** The connection was (re)established: notices sent while it was down are lost. */
  readonly onResync: () => void;
  readonly minRetryMs?: number;
  readonly maxRetryMs?: number;
}

/**
 * Holds one dedicated connection that `LISTEN`s for the database's policy change notices.
 * LISTEN needs a session of its own: it cannot go through Prisma's pool, nor through a
 * transaction-pooling PgBouncer. When the connection is lost it reconnects with backoff, and
 * each (re)connection asks for a resync, since notices sent meanwhile never arrive.
 */
export class PolicyChangeListener {
  private client?: pg.Client;
  private retryMs: number;
  private retryTimer?: NodeJS.Timeout;
  private stopped = false;
  private listening = false;

  constructor(private readonly options: PolicyChangeListenerOptions) {
    this.retryMs = options.minRetryMs ?? 100;
  }

  /** True while notices can arrive. */
  get isListening(): boolean {
    return this.listening;
  }

  /** Connects; if the database is unreachable, keeps retrying in the background. */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.options.databaseUrl, keepAlive: true, connectionTimeoutMillis: 5000 });
    client.on('notification', (message) => this.onNotification(message));
    client.on('error', (error) => this.onLost(client, error));
    client.on('end', () => this.onLost(client, new Error('connection ended')));
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${pg.escapeIdentifier(POLICY_CHANGED_CHANNEL)}`);
    } catch (error) {
      this.onLost(client, error as Error);
      return;
    }
    this.listening = true;
    this.retryMs = this.options.minRetryMs ?? 100;
    this.options.logger.info('listening for policy changes');
    this.options.onResync();
  }

  private onNotification(message: pg.Notification): void {
    if (message.channel !== POLICY_CHANGED_CHANNEL || !message.payload) return;
    try {
      this.options.onChange(JSON.parse(message.payload) as PolicyChangedEvent);
    } catch (error) {
      // A notice we cannot read may concern any tenant: drop everything rather than serve stale.
      this.options.logger.error({ err: error, payload: message.payload }, 'unreadable policy change notice; flushing the cache');
      this.options.onResync();
    }
  }

  private onLost(client: pg.Client, error: Error): void {
    if (this.client !== client || this.stopped) return;
    this.client = undefined;
    this.listening = false;
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    this.options.logger.warn({ err: error }, `policy change listener lost its connection; retrying in ${this.retryMs} ms`);
    this.retryTimer = setTimeout(() => void this.connect(), this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? 5000);
  }
}
