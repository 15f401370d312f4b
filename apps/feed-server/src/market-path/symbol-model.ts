import { AssetClass } from '@ticker/protocol';
import type { TradingHours } from '../domain/trading-hours.js';
import type { SymbolSpec } from '../domain/universe.js';

/** Typical trade value in currency units; sizes are drawn around it so every symbol trades sensibly. */
const TYPICAL_NOTIONAL = 2_000;

/**
 * Jumps on top of the diffusion (Merton's jump-diffusion), per calendar day: news that moves a
 * stock a few percent now and then, a coin more often and further.
 */
const JUMPS_PER_DAY = { stock: 0.04, crypto: 0.08 } as const;
const JUMP_SIGMA = { stock: 0.04, crypto: 0.06 } as const;

/** What the market tree needs to know of one symbol, worked out once. */
export interface SymbolModel {
  readonly index: number;
  /** Reference price in ticks: where the symbol trades at the market's epoch. */
  readonly referenceTicks: number;
  /** Annualised volatility (0.6 = 60%). */
  readonly volatility: number;
  /** Trades per millisecond of trading time. */
  readonly tradesPerMs: number;
  /** Mean lots per trade. */
  readonly meanLots: number;
  readonly jumpsPerDay: number;
  readonly jumpSigma: number;
  /** Its session; null when it always trades. */
  readonly hours: TradingHours | null;
}

export function symbolModels(
  universe: readonly SymbolSpec[],
  ticksPerSecond: number,
  stockHours: TradingHours | null,
): SymbolModel[] {
  const totalActivity = universe.reduce((sum, s) => sum + s.activity, 0);
  return universe.map((symbol, index) => {
    const stock = symbol.assetClass === AssetClass.Stock;
    const lotValue = (symbol.referencePrice * symbol.lotSize) / 10 ** symbol.sizeDecimals;
    return {
      index,
      referenceTicks: Math.max(
        1,
        Math.round((symbol.referencePrice * 10 ** symbol.priceDecimals) / symbol.tickSize),
      ),
      volatility: symbol.annualVolatility,
      tradesPerMs: (ticksPerSecond * symbol.activity) / totalActivity / 1000,
      meanLots: Math.max(1, TYPICAL_NOTIONAL / lotValue),
      jumpsPerDay: stock ? JUMPS_PER_DAY.stock : JUMPS_PER_DAY.crypto,
      jumpSigma: stock ? JUMP_SIGMA.stock : JUMP_SIGMA.crypto,
      hours: stock ? stockHours : null,
    };
  });
}
