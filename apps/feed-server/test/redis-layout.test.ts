import { describe, expect, it } from 'vitest';
import {
  FlushEntryWriter,
  forEachFrame,
  reconnectDelay,
  redactUrl,
} from '../src/broker/redis-layout.js';

const frames = (entry: Uint8Array): number[][] => {
  const seen: number[][] = [];
  forEachFrame(entry, (frame) => seen.push([...frame]));
  return seen;
};

describe('the flush entry framing', () => {
  it('carries each frame whole, growing past its first buffer, and is reused after reset', () => {
    const writer = new FlushEntryWriter();
    const big = new Uint8Array(100_000).fill(7);
    writer.add(Uint8Array.of(1, 2, 3));
    writer.add(big);
    writer.add(new Uint8Array(0));
    expect(writer.count).toBe(3);
    const seen = frames(writer.finish());
    expect(seen.map((f) => f.length)).toEqual([3, 100_000, 0]);
    expect(seen[0]).toEqual([1, 2, 3]);
    expect(seen[1]?.every((byte) => byte === 7)).toBe(true);

    writer.reset();
    writer.add(Uint8Array.of(9));
    expect(writer.count).toBe(1);
    expect(frames(writer.finish())).toEqual([[9]]);
  });

  it('refuses an entry cut short, in the length or in the frame', () => {
    const writer = new FlushEntryWriter();
    writer.add(Uint8Array.of(1, 2, 3, 4));
    const entry = writer.finish();
    expect(() => frames(entry.subarray(0, 2))).toThrow('truncated frame length');
    expect(() => frames(entry.subarray(0, 6))).toThrow('truncated frame');
  });
});

describe('the broker link', () => {
  it('backs off from about 100 ms, doubling, to at most 5 s', () => {
    for (let retries = 0; retries < 20; retries++) {
      const ceiling = Math.min(5_000, 100 * 2 ** retries);
      const delay = reconnectDelay(retries);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });

  it('never prints a password', () => {
    expect(redactUrl('redis://app:s3cr3t@cache:6379/0')).toBe('redis://app:***@cache:6379/0');
    expect(redactUrl('rediss://:s3cr3t@cache')).toBe('rediss://:***@cache');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
