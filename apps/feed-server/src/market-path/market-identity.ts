import { createHash } from 'node:crypto';
import type { TradingHours } from '../domain/trading-hours.js';
import type { SymbolSpec } from '../domain/universe.js';

/** What the market path is a function of, besides time. */
export interface MarketSettings {
  readonly universe: readonly SymbolSpec[];
  readonly seed: number;
  readonly tickRate: number;
  readonly stockHours: TradingHours | null;
}

/**
 * One line naming the market: two processes with the same line play the same trades and serve
 * the same history, byte for byte. A source announces it; a gateway serves history drawn from
 * its own settings only while they name the same market (the universe by digest: prices,
 * volatilities and activities shape the path, beyond what the directory frame lists).
 */
export function marketIdentity(settings: MarketSettings): string {
  const universe = createHash('sha256')
    .update(JSON.stringify(settings.universe))
    .digest('base64url')
    .slice(0, 16);
  const hours = settings.stockHours?.toString() ?? 'always';
  return `seed=${settings.seed} tickRate=${settings.tickRate} stockHours=${hours} universe=${universe}`;
}
