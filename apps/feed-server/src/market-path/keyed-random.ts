/**
 * Random numbers addressed by a key rather than drawn in one long sequence. Every node of the
 * market (a symbol's minute, say) seeds a short stream from the hash of its key (seed, symbol,
 * level, index) and draws from it in a fixed order, so any instant of the market is computed
 * without computing what came before it, on any process, in any order. The stream is mulberry32
 * (Tommy Ettinger, public domain), reseeded in place: no allocation per node. Not for
 * cryptography.
 */
export class KeyedRandom {
  private state = 0;

  /** Starts the stream of one node; `index` is any integer within ±2^31 (negative before the epoch). */
  seed(seed: number, symbol: number, level: number, index: number): this {
    let h = mix(seed ^ 0x243f6a88);
    h = mix(h ^ Math.imul(symbol + 1, 0x9e3779b1));
    h = mix(h ^ Math.imul(level + 1, 0x85ebca77));
    h = mix(h ^ (index | 0));
    // A second round over the index's sign and magnitude keeps nearby indexes uncorrelated.
    this.state = mix(h ^ Math.imul(index >>> 16, 0xc2b2ae3d)) >>> 0;
    return this;
  }

  /** Uniform in [0, 1). */
  next(): number {
    const s = (this.state + 0x6d2b79f5) >>> 0;
    this.state = s;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in (0, 1]: safe to take the logarithm of. */
  positive(): number {
    return 1 - this.next();
  }

  /** Standard normal (Box–Muller, one variate per two draws: the order of draws stays simple). */
  gaussian(): number {
    const u = this.positive();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with mean 1. */
  exponential(): number {
    return -Math.log(this.positive());
  }

  /** An integer from 0 to `count - 1`. */
  below(count: number): number {
    return Math.floor(this.next() * count);
  }

  /**
   * Poisson with the given mean: exact (multiplying uniforms) up to a mean of 30, a rounded
   * normal beyond, where the two are indistinguishable for a market's trade counts.
   */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.gaussian()));
    const limit = Math.exp(-mean);
    let count = 0;
    let product = this.positive();
    while (product > limit) {
      count += 1;
      product *= this.positive();
    }
    return count;
  }

  /**
   * Binomial(n, p): exact (counting successes) for small n, a rounded normal clamped to [0, n]
   * when both n·p and n·(1 − p) are large. Used to share counts out exactly.
   */
  binomial(n: number, p: number): number {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n <= 40) {
      let successes = 0;
      for (let i = 0; i < n; i++) if (this.next() < p) successes += 1;
      return successes;
    }
    const mean = n * p;
    const sd = Math.sqrt(mean * (1 - p));
    if (mean < 10 || n - mean < 10) return this.smallBinomial(n, p);
    return Math.min(n, Math.max(0, Math.round(mean + sd * this.gaussian())));
  }

  /** Binomial with a small mean (or a small complement): a Poisson count of the rare outcome. */
  private smallBinomial(n: number, p: number): number {
    if (p <= 0.5) return Math.min(n, this.poisson(n * p));
    return n - Math.min(n, this.poisson(n * (1 - p)));
  }
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
function mix(value: number): number {
  let h = value | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
