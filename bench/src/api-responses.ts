// Every answer of a history API load, timed and counted by kind of request and by status, and
// what a reader needs from them: requests a second, latency percentiles, statuses, bytes.
import { API_REQUEST_KINDS } from './api-mix.js';
import type { ApiRequestKind } from './api-mix.js';

/** Latency percentiles in ms, exact (nearest rank over every response); NaN with none. */
export interface LatencySpread {
  readonly p50: number;
  readonly p975: number;
  readonly p99: number;
  readonly max: number;
}

export interface KindSummary {
  readonly kind: ApiRequestKind;
  readonly responses: number;
  readonly latencyMs: LatencySpread;
  /** Responses by HTTP status, e.g. { "200": 4410, "304": 12 }. */
  readonly statuses: Readonly<Record<string, number>>;
}

export interface ApiLoadSummary {
  /** The span the rates are over. */
  readonly elapsedMs: number;
  readonly responses: number;
  /** Every response a second, whatever its status. */
  readonly requestsPerSecond: number;
  /** 200s and 304s a second: the answers a client could use. */
  readonly answeredPerSecond: number;
  /** Everything read a second: status lines, headers and bodies. */
  readonly bytesPerSecond: number;
  /** Over every response, refusals (429, 503) included: they are what those clients waited. */
  readonly latencyMs: LatencySpread;
  /** Over the 200s and 304s alone: a refusal is quick, and would flatter the percentiles. */
  readonly answeredLatencyMs: LatencySpread;
  readonly statuses: Readonly<Record<string, number>>;
  /** Kinds that had responses, in API_REQUEST_KINDS order. */
  readonly byKind: readonly KindSummary[];
  /** Requests that got no answer: connection errors and timeouts (autocannon's counts). */
  readonly errors: number;
  readonly timeouts: number;
}

/** Nearest rank: the smallest value at or below which `p` percent of `sorted` lie. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

export function spreadOf(latencies: readonly number[]): LatencySpread {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p975: percentile(sorted, 97.5),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? NaN : (sorted[sorted.length - 1] as number),
  };
}

/** Answers as they arrive: a few numbers each, so a phase of 100,000 stays small. */
export class ResponseLog {
  private readonly latencies = new Map<ApiRequestKind, number[]>();
  private readonly statuses = new Map<ApiRequestKind, Map<number, number>>();
  private readonly answered: number[] = [];
  private bytes = 0;
  private errors = 0;
  private timeouts = 0;

  record(kind: ApiRequestKind, status: number, latencyMs: number, bytes: number): void {
    let latencies = this.latencies.get(kind);
    let statuses = this.statuses.get(kind);
    if (latencies === undefined || statuses === undefined) {
      latencies = [];
      statuses = new Map();
      this.latencies.set(kind, latencies);
      this.statuses.set(kind, statuses);
    }
    latencies.push(latencyMs);
    if (status === 200 || status === 304) this.answered.push(latencyMs);
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    this.bytes += bytes;
  }

  failed(errors: number, timeouts: number): void {
    this.errors += errors;
    this.timeouts += timeouts;
  }

  summary(elapsedMs: number): ApiLoadSummary {
    const seconds = elapsedMs / 1000;
    const all: number[] = [];
    const statuses: Record<string, number> = {};
    const byKind: KindSummary[] = [];
    for (const kind of API_REQUEST_KINDS) {
      const latencies = this.latencies.get(kind);
      if (latencies === undefined) continue;
      const own: Record<string, number> = {};
      for (const [status, count] of this.statuses.get(kind) ?? []) {
        own[status] = count;
        statuses[status] = (statuses[status] ?? 0) + count;
      }
      for (const latency of latencies) all.push(latency);
      byKind.push({
        kind,
        responses: latencies.length,
        latencyMs: spreadOf(latencies),
        statuses: own,
      });
    }
    const answered = (statuses['200'] ?? 0) + (statuses['304'] ?? 0);
    return {
      elapsedMs,
      responses: all.length,
      requestsPerSecond: seconds > 0 ? all.length / seconds : 0,
      answeredPerSecond: seconds > 0 ? answered / seconds : 0,
      bytesPerSecond: seconds > 0 ? this.bytes / seconds : 0,
      latencyMs: spreadOf(all),
      answeredLatencyMs: spreadOf(this.answered),
      statuses: sortedByStatus(statuses),
      byKind,
      errors: this.errors,
      timeouts: this.timeouts,
    };
  }
}

const sortedByStatus = (counts: Record<string, number>): Record<string, number> =>
  Object.fromEntries(Object.entries(counts).sort(([a], [b]) => Number(a) - Number(b)));
