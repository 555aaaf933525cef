/** Summary of a sample of durations in milliseconds. */
export interface Timing {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Collects durations cheaply (a plain array) and summarises them once. */
export class TimingSample {
  private readonly values: number[] = [];

  add(ms: number): void {
    this.values.push(ms);
  }

  get count(): number {
    return this.values.length;
  }

  summary(): Timing {
    if (this.values.length === 0) return { count: 0, p50: 0, p99: 0, max: 0 };
    const sorted = Float64Array.from(this.values).sort();
    const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
    return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: round(sorted[sorted.length - 1]!) };
  }
}

export function round(value: number, digits = 3): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
