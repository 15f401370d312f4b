import { toScaled } from '@ticker/protocol';
import { alertLevel, isValidPercent, isValidPrice, reaches } from './price-alert';
import type { AlertDraft, AlertDirection } from './price-alert';

/** What the alert editor's fields hold, as typed. */
export interface DraftFields {
  readonly ticker: string;
  readonly direction: AlertDirection;
  readonly kind: 'price' | 'change';
  readonly value: string;
}

/** Where the symbol trades now, to refuse an alert that would fire at once. */
export interface MarketNow {
  readonly last: number | null;
  readonly open: number | null;
  readonly priceDecimals: number;
}

export type DraftResult =
  | { readonly ok: true; readonly draft: AlertDraft }
  | { readonly ok: false; readonly problem: string };

const DECIMAL = /^[+-]?\d+(?:\.(\d+))?$/;

/**
 * Reads the editor's fields into an alert, or says what is wrong: a value that is not a number,
 * has more decimals than the symbol's prices, is out of range, or names a level the price is
 * already past (such an alert would fire on the next trade, which nobody means to set).
 */
export function readDraft(fields: DraftFields, market: MarketNow): DraftResult {
  const text = fields.value.replaceAll(',', '').trim();
  const match = DECIMAL.exec(text);
  if (!match) return { ok: false, problem: 'Enter a number, such as 123.45' };
  const value = Number(text);
  let draft: AlertDraft;
  if (fields.kind === 'price') {
    const decimals = match[1]?.length ?? 0;
    if (decimals > market.priceDecimals) {
      return {
        ok: false,
        problem: `${fields.ticker} prices have ${market.priceDecimals} decimals at most`,
      };
    }
    const price = toScaled(value, market.priceDecimals);
    if (!isValidPrice(price)) return { ok: false, problem: 'The price must be above 0' };
    draft = {
      ticker: fields.ticker,
      direction: fields.direction,
      condition: { kind: 'price', price },
    };
  } else {
    if (!isValidPercent(value)) {
      return { ok: false, problem: 'The change must be between −100% and +1000%, and not 0' };
    }
    draft = {
      ticker: fields.ticker,
      direction: fields.direction,
      condition: { kind: 'change', percent: value },
    };
  }
  const level = alertLevel(draft.condition, market.open);
  if (market.last !== null && level !== null && reaches(draft.direction, market.last, level)) {
    return {
      ok: false,
      problem: `${fields.ticker} already trades ${draft.direction === 'above' ? 'at or above' : 'at or below'} that level`,
    };
  }
  return { ok: true, draft };
}
