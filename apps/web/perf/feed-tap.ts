import type { Page } from '@playwright/test';
import {
  MessageType,
  createTickBatch,
  decodeTickBatch,
  peekServerMessageType,
} from '@ticker/protocol';

export interface FeedCounts {
  /** performance.now() in this process when read. */
  readonly at: number;
  readonly frames: number;
  readonly bytes: number;
  readonly tickBatches: number;
  readonly ticks: number;
  readonly decodeErrors: number;
}

/**
 * Counts what reaches the page's WebSockets, decoded here in the test process rather than in the
 * page, so that counting costs the measured page nothing. Playwright receives every frame from
 * Chromium over CDP anyway (it keeps the Network domain enabled), listener or not.
 */
export class FeedTap {
  private frames = 0;
  private bytes = 0;
  private tickBatches = 0;
  private ticks = 0;
  private decodeErrors = 0;
  /** Symbol ids seen in tick batches since the last `resetSymbols()`. */
  readonly symbols = new Set<number>();
  private readonly batch = createTickBatch(4_096);

  constructor(page: Page) {
    page.on('websocket', (socket) => {
      socket.on('framereceived', ({ payload }) => {
        if (typeof payload === 'string') return; // the protocol is binary only
        this.frames++;
        this.bytes += payload.byteLength;
        try {
          if (peekServerMessageType(payload) !== MessageType.TickBatch) return;
          const batch = decodeTickBatch(payload, this.batch);
          this.tickBatches++;
          this.ticks += batch.count;
          this.symbols.add(batch.symbolId);
        } catch {
          this.decodeErrors++;
        }
      });
    });
  }

  counts(): FeedCounts {
    return {
      at: performance.now(),
      frames: this.frames,
      bytes: this.bytes,
      tickBatches: this.tickBatches,
      ticks: this.ticks,
      decodeErrors: this.decodeErrors,
    };
  }

  resetSymbols(): void {
    this.symbols.clear();
  }
}
