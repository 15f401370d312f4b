import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../src/feed/ring-buffer';

function contents(buffer: RingBuffer): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < buffer.size; i++) out.push([buffer.timeAt(i), buffer.valueAt(i)]);
  return out;
}

describe('RingBuffer', () => {
  it('starts empty', () => {
    const buffer = new RingBuffer(3);
    expect(buffer.size).toBe(0);
    expect(contents(buffer)).toEqual([]);
  });

  it('keeps points oldest first before it is full', () => {
    const buffer = new RingBuffer(4);
    buffer.push(1, 10);
    buffer.push(2, 20);
    expect(buffer.size).toBe(2);
    expect(contents(buffer)).toEqual([
      [1, 10],
      [2, 20],
    ]);
  });

  it('holds exactly capacity points when filled to the brim', () => {
    const buffer = new RingBuffer(3);
    for (let i = 1; i <= 3; i++) buffer.push(i, i * 10);
    expect(contents(buffer)).toEqual([
      [1, 10],
      [2, 20],
      [3, 30],
    ]);
  });

  it('wraps around, dropping the oldest points and keeping order', () => {
    const buffer = new RingBuffer(3);
    for (let i = 1; i <= 5; i++) buffer.push(i, i * 10);
    expect(buffer.size).toBe(3);
    expect(contents(buffer)).toEqual([
      [3, 30],
      [4, 40],
      [5, 50],
    ]);
  });

  it('stays bounded and ordered over many laps', () => {
    const buffer = new RingBuffer(7);
    for (let i = 0; i < 1000; i++) buffer.push(i, -i);
    expect(buffer.size).toBe(7);
    const times = contents(buffer).map(([time]) => time);
    expect(times).toEqual([993, 994, 995, 996, 997, 998, 999]);
    expect(buffer.valueAt(6)).toBe(-999);
  });

  it('works with a capacity of one', () => {
    const buffer = new RingBuffer(1);
    buffer.push(1, 10);
    buffer.push(2, 20);
    expect(contents(buffer)).toEqual([[2, 20]]);
  });

  it('clears, then refills from the start', () => {
    const buffer = new RingBuffer(2);
    buffer.push(1, 10);
    buffer.push(2, 20);
    buffer.push(3, 30);
    buffer.clear();
    expect(buffer.size).toBe(0);
    buffer.push(4, 40);
    expect(contents(buffer)).toEqual([[4, 40]]);
  });

  it('rejects reads outside the held points', () => {
    const buffer = new RingBuffer(4);
    buffer.push(1, 10);
    expect(() => buffer.timeAt(1)).toThrow(RangeError);
    expect(() => buffer.valueAt(-1)).toThrow(RangeError);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
    expect(() => new RingBuffer(2.5)).toThrow(RangeError);
  });

  it('stores scaled integer prices exactly', () => {
    const buffer = new RingBuffer(2);
    const big = 2 ** 51 - 1;
    buffer.push(1_700_000_000_123, big);
    expect(buffer.valueAt(0)).toBe(big);
    expect(buffer.timeAt(0)).toBe(1_700_000_000_123);
  });
});
