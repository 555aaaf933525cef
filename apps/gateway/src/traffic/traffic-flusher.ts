import type { Logger } from 'pino';
import { toBatches } from './traffic-batch.js';
import type { TrafficRecorder } from './traffic-recorder.js';
import type { TrafficWriter } from './traffic.writer.js';

/** What the flusher reports, for metrics. */
export interface TrafficFlushEvents {
  flushed(at: number): void;
  failed(): void;
  dropped(entries: number): void;
}

export interface TrafficFlusherOptions {
  readonly recorder: TrafficRecorder;
  readonly writer: TrafficWriter;
  readonly intervalMs: number;
  readonly logger: Logger;
  readonly events: TrafficFlushEvents;
}

/**
 * Takes the recorder's window every `intervalMs` and writes it, off the request path. A failed
 * write (database down, a timeout) is logged and its counts are given up: requests never wait
 * for it, and the next window starts empty, so an outage costs memory nothing and loses at
 * most the counts of the windows it spans. One write at a time; a tick during a slow write
 * is skipped, and its counts go in the next window.
 */
export class TrafficFlusher {
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;

  constructor(private readonly options: TrafficFlusherOptions) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Writes what was recorded since the last flush (waits for a write in progress first). */
  async flush(): Promise<void> {
    if (this.writing !== undefined) return this.writing;
    const window = this.options.recorder.take();
    if (window.isEmpty) return;
    this.writing = this.write(window);
    try {
      await this.writing;
    } finally {
      this.writing = undefined;
    }
  }

  /** Stops the timer and writes the last window (on shutdown). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.writing;
    await this.flush();
  }

  private async write(window: ReturnType<TrafficRecorder['take']>): Promise<void> {
    const { writer, events, logger } = this.options;
    const at = Date.now();
    let refusals = 0;
    let tuples = 0;
    try {
      for (const batch of toBatches(window)) {
        if (batch.dropped > 0) events.dropped(batch.dropped);
        refusals += batch.refusals.length;
        tuples += batch.tuples.length;
        await writer.write(batch, new Date(at));
      }
      events.flushed(at);
    } catch (error) {
      events.failed();
      logger.warn({ err: error, refusals, tuples }, 'traffic counts not written: this window is lost, requests are unaffected');
    }
  }
}
