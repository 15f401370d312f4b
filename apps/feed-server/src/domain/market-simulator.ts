import { AssetClass, Side } from '@ticker/protocol';
import { RandomStreams } from './random.js';
import type { TradingHours } from './trading-hours.js';
import type { SymbolSpec } from './universe.js';

const MS_PER_YEAR = 365.25 * 24 * 3600 * 1000;
const MS_PER_HOUR = 3600 * 1000;
/**
 * Occasional jumps on top of the diffusion (Merton's jump-diffusion): on average this many per
 * symbol per hour, each a log-normal move of this standard deviation. Sized to show as visible
 * steps on a minutes-wide chart without dominating the walk.
 */
const JUMPS_PER_HOUR = 2;
const JUMP_SIGMA = { stock: 0.006, crypto: 0.012 } as const;
/** Typical trade value in currency units; sizes are drawn around it so every symbol trades sensibly. */
const TYPICAL_NOTIONAL = 2_000;

/** Receives each generated tick as plain numbers, so generating ticks allocates nothing. */
export interface TickSink {
  addTick(symbolIndex: number, price: number, size: number, time: number, side: Side): void;
}

export interface SimulatorOptions {
  readonly seed: number;
  /** Total ticks per second over all symbols, shared out by each symbol's `activity`. */
  readonly ticksPerSecond: number;
  /** Simulated time the market starts at (epoch ms). */
  readonly startTime: number;
  /** Session for stocks; undefined or null means always open. Crypto always trades. */
  readonly stockHours?: TradingHours | null;
}

/**
 * A seeded market: each symbol's price follows geometric Brownian motion with occasional jumps,
 * sampled at Poisson arrival times, rounded to its tick size and never below one tick; sizes
 * are whole lots; stocks trade only in session when trading hours are set.
 * Deterministic: the same seed, universe and `advanceTo` times yield the same ticks.
 */
export class MarketSimulator {
  private readonly symbols: readonly SymbolSpec[];
  private readonly random: RandomStreams;
  private readonly price: Float64Array; // unrounded, currency units
  private readonly lastArrival: Float64Array; // epoch ms, unrounded
  private readonly nextArrival: Float64Array; // epoch ms, unrounded
  private readonly meanGapMs: Float64Array;
  private readonly meanLots: Float64Array;
  private readonly priceScale: Float64Array;
  private readonly tickSize: Float64Array;
  private readonly lotSize: Float64Array;
  private readonly jumpSigma: Float64Array;
  private readonly hours: readonly (TradingHours | null)[];

  constructor(symbols: readonly SymbolSpec[], options: SimulatorOptions) {
    const n = symbols.length;
    this.symbols = symbols;
    this.random = new RandomStreams(options.seed, n);
    this.price = new Float64Array(n);
    this.lastArrival = new Float64Array(n).fill(options.startTime);
    this.nextArrival = new Float64Array(n);
    this.meanGapMs = new Float64Array(n);
    this.meanLots = new Float64Array(n);
    this.priceScale = new Float64Array(n);
    this.tickSize = new Float64Array(symbols.map((s) => s.tickSize));
    this.lotSize = new Float64Array(symbols.map((s) => s.lotSize));
    this.jumpSigma = new Float64Array(
      symbols.map((s) =>
        s.assetClass === AssetClass.Stock ? JUMP_SIGMA.stock : JUMP_SIGMA.crypto,
      ),
    );
    const stockHours = options.stockHours ?? null;
    this.hours = symbols.map((s) => (s.assetClass === AssetClass.Stock ? stockHours : null));
    const totalActivity = symbols.reduce((sum, s) => sum + s.activity, 0);
    symbols.forEach((symbol, i) => {
      const rate = (options.ticksPerSecond * symbol.activity) / totalActivity;
      this.meanGapMs[i] = 1000 / rate;
      this.price[i] = symbol.referencePrice;
      this.priceScale[i] = 10 ** symbol.priceDecimals;
      const lotValue = (symbol.referencePrice * symbol.lotSize) / 10 ** symbol.sizeDecimals;
      this.meanLots[i] = Math.max(1, TYPICAL_NOTIONAL / lotValue);
      this.nextArrival[i] = options.startTime + this.random.exponential(i, this.meanGapMs[i]);
    });
  }

  get symbolCount(): number {
    return this.symbols.length;
  }

  /** Emits, symbol by symbol in time order, every tick that arrives at or before `time`. */
  advanceTo(time: number, sink: TickSink): void {
    const random = this.random;
    for (let i = 0; i < this.symbols.length; i++) {
      let arrival = this.nextArrival[i] as number;
      if (arrival > time) continue;
      const sigma = (this.symbols[i] as SymbolSpec).annualVolatility;
      const meanGap = this.meanGapMs[i] as number;
      const scale = this.priceScale[i] as number;
      const meanLots = this.meanLots[i] as number;
      const tick = this.tickSize[i] as number;
      const lot = this.lotSize[i] as number;
      const jumpSigma = this.jumpSigma[i] as number;
      const hours = this.hours[i] ?? null;
      let price = this.price[i] as number;
      let previous = this.lastArrival[i] as number;
      while (arrival <= time) {
        if (hours !== null && !hours.isOpen(arrival)) {
          // Closed: no trades until the next open; the walk over the closure shows as the open's gap.
          arrival = hours.nextOpen(arrival) + random.exponential(i, meanGap);
          continue;
        }
        const dt = arrival - previous;
        const dtYears = dt / MS_PER_YEAR;
        price *= Math.exp(
          -0.5 * sigma * sigma * dtYears + sigma * Math.sqrt(dtYears) * random.gaussian(i),
        );
        if (random.next(i) < (JUMPS_PER_HOUR * dt) / MS_PER_HOUR) {
          price *= Math.exp(jumpSigma * random.gaussian(i));
        }
        const scaled = Math.max(1, Math.round((price * scale) / tick)) * tick;
        const lots = 1 + Math.floor(random.exponential(i, meanLots));
        const side = random.next(i) < 0.5 ? Side.Buy : Side.Sell;
        sink.addTick(i, scaled, lots * lot, Math.floor(arrival), side);
        previous = arrival;
        arrival += random.exponential(i, meanGap);
      }
      this.price[i] = price;
      this.lastArrival[i] = previous;
      this.nextArrival[i] = arrival;
    }
  }
}
