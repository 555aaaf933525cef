import { Agent, request } from 'undici';

/** One request of the load: which gateway, which tenant, what kind, from which origin. */
export interface Probe {
  readonly gateway: number;
  readonly tenant: string;
  readonly kind: 'actual' | 'preflight';
  readonly origin: string;
  /** Access-Control-Request-Method of a preflight. */
  readonly method?: string;
}

/** What came back, with when it was sent and answered (ms, performance.now() clock). */
export interface Outcome {
  readonly probe: Probe;
  readonly sentAt: number;
  readonly answeredAt: number;
  /** 0 for a transport error. */
  readonly status: number;
  readonly allowOrigin: string | undefined;
  readonly allowMethods: string | undefined;
  /** Whether any access-control-* header came back. */
  readonly anyCorsHeader: boolean;
  readonly vary: string | undefined;
  readonly error?: string;
}

/**
 * Sends requests at a fixed rate (not as fast as possible: the machine has two cores and other
 * work), spread over the gateways, with a cap on requests in flight so that a slow or dead
 * server cannot pile them up. Every outcome goes to `record`.
 */
export class LoadLoop {
  private timer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private credit = 0;
  private readonly pending = new Set<Promise<void>>();
  private readonly agent = new Agent({ connections: 16, keepAliveTimeout: 10_000, connect: { timeout: 2_000 } });
  sent = 0;
  skipped = 0;

  constructor(
    private readonly gateways: readonly string[],
    private readonly ratePerSecond: number,
    private readonly pick: () => Probe,
    private readonly record: (outcome: Outcome) => void,
    private readonly maxInFlight = 100,
  ) {}

  start(): void {
    const tickMs = 10;
    this.timer = setInterval(() => {
      this.credit += (this.ratePerSecond * tickMs) / 1000;
      while (this.credit >= 1) {
        this.credit--;
        if (this.inFlight >= this.maxInFlight) {
          this.skipped++;
          continue;
        }
        this.fire(this.pick());
      }
    }, tickMs);
  }

  /** Stops sending and waits for the requests in flight. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.pending);
    await this.agent.close();
  }

  /** Sends one probe now, outside the rate (e.g. to check one gateway). */
  send(probe: Probe): Promise<Outcome> {
    return this.execute(probe);
  }

  private fire(probe: Probe): void {
    this.inFlight++;
    this.sent++;
    const done = this.execute(probe).then((outcome) => {
      this.inFlight--;
      this.record(outcome);
    });
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
  }

  private async execute(probe: Probe): Promise<Outcome> {
    const sentAt = performance.now();
    const headers: Record<string, string> = { origin: probe.origin };
    if (probe.kind === 'preflight') headers['access-control-request-method'] = probe.method ?? 'PUT';
    try {
      const response = await request(`${this.gateways[probe.gateway]}/t/${probe.tenant}/echo`, {
        method: probe.kind === 'preflight' ? 'OPTIONS' : 'GET',
        headers,
        dispatcher: this.agent,
        headersTimeout: 10_000,
        bodyTimeout: 10_000,
      });
      await response.body.dump();
      const h = response.headers;
      const one = (name: string) => {
        const value = h[name];
        return Array.isArray(value) ? value.join(', ') : value;
      };
      return {
        probe,
        sentAt,
        answeredAt: performance.now(),
        status: response.statusCode,
        allowOrigin: one('access-control-allow-origin'),
        allowMethods: one('access-control-allow-methods'),
        anyCorsHeader: Object.keys(h).some((name) => name.startsWith('access-control-')),
        vary: one('vary'),
      };
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      return {
        probe,
        sentAt,
        answeredAt: performance.now(),
        status: 0,
        allowOrigin: undefined,
        allowMethods: undefined,
        anyCorsHeader: false,
        vary: undefined,
        error: e.code ?? e.message,
      };
    }
  }
}
