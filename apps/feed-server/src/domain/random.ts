/**
 * Seeded pseudo-random streams. Each symbol draws from its own stream so a symbol's ticks depend
 * only on the seed and the clock, not on how often the simulator is advanced or on which other
 * symbols exist. mulberry32 (Tommy Ettinger, public domain): tiny state, passes PractRand to 32 GB,
 * plenty for a market simulation; not for cryptography.
 */
export class RandomStreams {
  private readonly state: Uint32Array;

  constructor(seed: number, count: number) {
    this.state = new Uint32Array(count);
    for (let i = 0; i < count; i++) {
      // splitmix-style scramble so neighbouring streams do not start correlated.
      let z = (seed + Math.imul(i + 1, 0x9e3779b9)) | 0;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      this.state[i] = (z ^ (z >>> 16)) >>> 0;
    }
  }

  /** Uniform in [0, 1). */
  next(stream: number): number {
    const s = ((this.state[stream] as number) + 0x6d2b79f5) >>> 0;
    this.state[stream] = s;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Exponentially distributed with the given mean (inter-arrival times of a Poisson process). */
  exponential(stream: number, mean: number): number {
    return -Math.log(1 - this.next(stream)) * mean;
  }

  /** Standard normal by Box–Muller; the second variate is discarded to keep streams simple. */
  gaussian(stream: number): number {
    const u = 1 - this.next(stream);
    const v = this.next(stream);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
