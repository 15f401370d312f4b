// The arithmetic and number formats every table of BENCHMARKS.md shares.

/** The middle value, or the mean of the two middle ones; NaN for none. */
export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  if (sorted.length === 0) return NaN;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

export const shortOf = (name: string): string => `\`${name}\``;
export const thousands = (n: number): string => Math.round(n).toLocaleString('en-US');
export const rate = (tickRate: number): string => `${thousands(tickRate)} ticks/s`;
export const millions = (n: number): string => (n / 1e6).toFixed(n >= 1e7 ? 1 : 2);
export const ratio = (n: number): string =>
  Number.isFinite(n) ? `${n >= 10 ? thousands(n) : n.toFixed(1)}×` : 'n/a';
export const percent = (share: number): string => `${(share * 100).toFixed(0)}%`;
/** Milliseconds as seconds with two decimals: "2.95 s". */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
/** Bytes in MB of 2^20, as the memory tables count them. */
export const megabytes = (bytes: number): string =>
  (bytes / 2 ** 20).toFixed(bytes >= 2 ** 30 ? 0 : 1);

/** One row of "Targets for Ticker": null `met` means not measured. */
export interface TargetRow {
  readonly target: string;
  readonly met: boolean | null;
  readonly standing: string;
}
