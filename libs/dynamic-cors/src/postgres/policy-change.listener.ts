import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { DeadlineClient } from './deadline-client.js';
import { POLICY_CHANGED_CHANNEL, type PolicyChangedEvent } from './policy-changed.channel.js';

/** What the listener logs to: pino's shape (object first, then message); pino itself is one. */
export interface SourceLogger {
  info(fields: object, message: string): void;
  info(message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface PolicyChangeListenerOptions {
  readonly databaseUrl: string;
  readonly logger: SourceLogger;
  /** A committed change notice. */
  readonly onChange: (event: PolicyChangedEvent) => void;
  /** The connection was (re)established: notices sent while it was down are lost. */
  readonly onResync: () => void;
  /** Pause between two heartbeats, in milliseconds. */
  readonly heartbeatIntervalMs: number;
  /** A heartbeat (or LISTEN) not answered within this many milliseconds means a dead connection. */
  readonly heartbeatTimeoutMs: number;
  /** Longest wait for a new connection, in milliseconds. */
  readonly connectTimeoutMs: number;
  /** TCP keepalive: first probe after this much silence, in milliseconds. */
  readonly keepAliveDelayMs: number;
  readonly events?: PolicyChangeListenerEvents;
  readonly minRetryMs?: number;
  readonly maxRetryMs?: number;
}

/** What the listener reports to (metrics). */
export interface PolicyChangeListenerEvents {
  /** The connection was proven alive (connected, or a heartbeat came back). */
  heartbeat(): void;
  /** A lost connection was replaced. */
  reconnected(): void;
}

const noEvents: PolicyChangeListenerEvents = { heartbeat() {}, reconnected() {} };

/**
 * Holds one dedicated connection that `LISTEN`s for the database's policy change notices.
 * LISTEN needs a session of its own: it cannot go through Prisma's pool, nor through a
 * transaction-pooling PgBouncer. When the connection is lost it reconnects with backoff, and
 * each (re)connection asks for a resync, since notices sent meanwhile never arrive.
 *
 * A connection can also die silently (a load balancer or NAT forgetting an idle flow, a
 * partition): no FIN, no RST, so no `error` or `end` ever comes (issue 17). So the listener
 * proves its connection alive with a heartbeat: every `heartbeatIntervalMs` it sends itself a
 * NOTIFY on a channel of its own, over the same path the change notices take, and a heartbeat
 * not back within `heartbeatTimeoutMs` counts as a lost connection. A dead one is thus replaced
 * within interval + timeout, and the heartbeat traffic keeps middleboxes from ever seeing the
 * connection idle.
 */
export class PolicyChangeListener {
  private client?: DeadlineClient;
  private retryMs: number;
  private retryTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;
  private deadlineTimer?: NodeJS.Timeout;
  private stopped = false;
  private listening = false;
  private everConnected = false;
  private lostAt = 0;
  private lastProvenAt = 0;
  private beats = 0;
  /** The payload of the heartbeat on its way, if one is. */
  private pendingBeat?: string;
  /** Private to this listener, so that no other gateway's heartbeats reach it. */
  private readonly heartbeatChannel = `corsmesh_heartbeat_${randomUUID().replace(/-/g, '')}`;
  private readonly events: PolicyChangeListenerEvents;

  constructor(private readonly options: PolicyChangeListenerOptions) {
    this.retryMs = options.minRetryMs ?? 100;
    this.events = options.events ?? noEvents;
  }

  /**
   * True while notices can arrive: connected, and the connection proven alive by a heartbeat
   * within the last interval + timeout.
   */
  get isListening(): boolean {
    const proofLifetimeMs = this.options.heartbeatIntervalMs + this.options.heartbeatTimeoutMs;
    return this.listening && performance.now() - this.lastProvenAt <= proofLifetimeMs;
  }

  /** Connects; if the database is unreachable, keeps retrying in the background. */
  async start(): Promise<void> {
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.clearHeartbeat();
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    if (!client) return;
    // A goodbye the network may never answer: wait for it only as long as for a heartbeat.
    const ended = client.end().catch(() => undefined);
    const deadline = new Promise<'late'>((resolve) => setTimeout(resolve, this.options.heartbeatTimeoutMs, 'late').unref());
    if ((await Promise.race([ended, deadline])) === 'late') client.destroy();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new DeadlineClient({
      connectionString: this.options.databaseUrl,
      connectionTimeoutMillis: this.options.connectTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: this.options.keepAliveDelayMs,
      // Bounds the LISTEN statements; a statement without an answer closes the connection.
      query_timeout: this.options.heartbeatTimeoutMs,
    });
    client.on('notification', (message) => this.onNotification(client, message));
    client.on('error', (error) => this.onLost(client, error));
    client.on('end', () => this.onLost(client, new Error('connection ended')));
    this.client = client;
    try {
      await client.connect();
      await client.query(
        `LISTEN ${pg.escapeIdentifier(POLICY_CHANGED_CHANNEL)}; LISTEN ${pg.escapeIdentifier(this.heartbeatChannel)}`,
      );
    } catch (error) {
      this.onLost(client, error as Error);
      return;
    }
    if (this.client !== client) return;
    this.listening = true;
    this.retryMs = this.options.minRetryMs ?? 100;
    this.proven();
    if (this.everConnected) {
      this.events.reconnected();
      this.options.logger.info(
        `listening for policy changes again after ${Math.round(performance.now() - this.lostAt)} ms; every cached policy is read again before it is served`,
      );
    } else {
      this.options.logger.info('listening for policy changes');
    }
    this.everConnected = true;
    this.options.onResync();
    this.scheduleHeartbeat(client);
  }

  private onNotification(client: DeadlineClient, message: pg.Notification): void {
    if (message.channel === this.heartbeatChannel) {
      if (this.client === client && message.payload === this.pendingBeat) this.onHeartbeat(client);
      return;
    }
    if (message.channel !== POLICY_CHANGED_CHANNEL || !message.payload) return;
    try {
      this.options.onChange(JSON.parse(message.payload) as PolicyChangedEvent);
    } catch (error) {
      // A notice we cannot read may concern any tenant: drop everything rather than serve stale.
      this.options.logger.error({ err: error, payload: message.payload }, 'unreadable policy change notice; every cached policy is read again before it is served');
      this.options.onResync();
    }
  }

  private scheduleHeartbeat(client: DeadlineClient): void {
    this.heartbeatTimer = setTimeout(() => this.sendHeartbeat(client), this.options.heartbeatIntervalMs);
    this.heartbeatTimer.unref();
  }

  private sendHeartbeat(client: DeadlineClient): void {
    if (this.client !== client) return;
    const beat = String(++this.beats);
    this.pendingBeat = beat;
    const timeoutMs = this.options.heartbeatTimeoutMs;
    this.deadlineTimer = setTimeout(() => this.onLost(client, new Error(`no heartbeat answer within ${timeoutMs} ms`)), timeoutMs);
    this.deadlineTimer.unref();
    client
      .query(`NOTIFY ${pg.escapeIdentifier(this.heartbeatChannel)}, '${beat}'`)
      .catch((error: unknown) => this.onLost(client, error as Error));
  }

  private onHeartbeat(client: DeadlineClient): void {
    clearTimeout(this.deadlineTimer);
    this.pendingBeat = undefined;
    this.proven();
    this.scheduleHeartbeat(client);
  }

  private proven(): void {
    this.lastProvenAt = performance.now();
    this.events.heartbeat();
  }

  private clearHeartbeat(): void {
    clearTimeout(this.heartbeatTimer);
    clearTimeout(this.deadlineTimer);
    this.pendingBeat = undefined;
  }

  private onLost(client: DeadlineClient, error: Error): void {
    if (this.client !== client || this.stopped) return;
    this.client = undefined;
    this.listening = false;
    this.lostAt = performance.now();
    this.clearHeartbeat();
    client.removeAllListeners('end');
    client.on('error', () => undefined);
    // Not `end()`: on a dead connection its goodbye would never be answered.
    client.destroy();
    this.options.logger.warn({ err: error }, `policy change listener lost its connection; retrying in ${this.retryMs} ms`);
    this.retryTimer = setTimeout(() => void this.connect(), this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? 5000);
  }
}
