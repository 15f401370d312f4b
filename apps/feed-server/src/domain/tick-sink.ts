import type { Side } from '@ticker/protocol';

/** Receives each tick of the market as plain numbers, so playing the market allocates nothing. */
export interface TickSink {
  addTick(symbolIndex: number, price: number, size: number, time: number, side: Side): void;
}
