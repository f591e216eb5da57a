import { describe, expect, test } from 'vitest';
import { TrustRecError } from '../errors/trust-rec-error.js';
import { type RngState, createRng, toRng } from './rng.js';

/**
 * Thresholds: every statistical test below runs on a fixed seed, so it is deterministic (never flaky); the
 * bound is the 99.9% quantile of the statistic under the null hypothesis, so a correct generator passes with
 * overwhelming probability for any seed, while a biased one (modulo bias, wrong scaling, broken Box–Muller)
 * fails by a wide margin at these sample sizes.
 */
const CHI_SQUARE_999 = { 4: 18.467, 5: 20.515, 9: 27.877, 19: 43.82 } as const;

function chiSquare(counts: ArrayLike<number>, expected: ArrayLike<number>): number {
  let statistic = 0;
  for (let i = 0; i < counts.length; i++) statistic += (counts[i] - expected[i]) ** 2 / expected[i];
  return statistic;
}

/** Reference xoshiro128** step from Blackman & Vigna's C code, on BigInts (independent of the implementation). */
function referenceXoshiro(words: readonly number[]): () => number {
  const mask = 0xffffffffn;
  const s = words.map((word) => BigInt(word));
  const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & mask;
  return () => {
    const result = (rotl((s[1] * 5n) & mask, 7n) * 9n) & mask;
    const t = (s[1] << 9n) & mask;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
    return Number(result);
  };
}

/** Φ(x) via erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** Kolmogorov–Smirnov statistic D_n of a sample against a continuous CDF. */
function ksStatistic(sample: Float64Array, cdf: (x: number) => number): number {
  const sorted = sample.slice().sort();
  const n = sorted.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(sorted[i]);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  return d;
}

/** 99.9% critical value of D_n for large n: 1.949 / √n. */
const ksCritical = (n: number): number => 1.949 / Math.sqrt(n);

function expectArgumentError(action: () => unknown): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(TrustRecError.isInstance(caught, 'E_ARGUMENT'), String(caught)).toBe(true);
}

describe('createRng: reproducibility', () => {
  test('pins the first outputs of createRng(42) (a change of generator or seeding must be deliberate)', () => {
    const rng = createRng(42);
    expect([rng.nextUint32(), rng.nextUint32(), rng.nextUint32(), rng.nextUint32()]).toEqual([
      2837322924, 544945897, 479756282, 3500138142,
    ]);
    expect(createRng(42).getState().words).toEqual([939911724, 3948730756, 321366731, 3317318717]);
    const mixed = createRng(42);
    expect(mixed.nextFloat()).toBe(0.6606157208001621);
    expect(mixed.nextInt(10)).toBe(2);
    // normal() uses Math.log/cos/sin, which may differ in the last bits between engines: pinned to 1e-14.
    expect(Math.abs(mixed.normal() - 0.6310041402959609)).toBeLessThan(1e-14);
    expect(createRng(0).nextUint32()).toBe(3809008728);
  });

  test('normal() consumes exactly two nextFloat draws per pair, so the integer stream after it is exact', () => {
    const rng = createRng(42);
    const reference = createRng(42);
    rng.normal();
    rng.normal(); // the cached spare: no draw
    for (let i = 0; i < 4; i++) reference.nextUint32(); // two nextFloat calls = four 32-bit draws
    expect(rng.nextUint32()).toBe(reference.nextUint32());
    expect(rng.nextUint32()).toBe(reference.nextUint32());
  });

  test('the stream is exactly xoshiro128** from its state (checked against a BigInt reference step)', () => {
    for (const seed of [0, 1, 42, 2 ** 32 + 7, Number.MAX_SAFE_INTEGER]) {
      const rng = createRng(seed);
      const reference = referenceXoshiro(rng.getState().words);
      for (let i = 0; i < 1000; i++) expect(rng.nextUint32()).toBe(reference());
    }
  });

  test('same seed gives the same stream; different seeds (incl. high bits) differ', () => {
    const draw = (seed: number): number[] => {
      const rng = createRng(seed);
      return Array.from({ length: 64 }, () => rng.nextUint32());
    };
    expect(draw(123)).toEqual(draw(123));
    const seeds = [0, 1, 2, 123, 2 ** 31, 2 ** 32, 2 ** 32 + 1, 2 ** 40, Number.MAX_SAFE_INTEGER];
    const streams = new Set(seeds.map((seed) => draw(seed).join(',')));
    expect(streams.size).toBe(seeds.length);
    expect(createRng(2 ** 40).seed).toBe(2 ** 40);
  });

  test('nextFloat uses 53 bits: two consecutive 32-bit words make one double', () => {
    const a = createRng(9);
    const b = createRng(9);
    for (let i = 0; i < 100; i++) {
      const high = b.nextUint32() >>> 5;
      const low = b.nextUint32() >>> 6;
      expect(a.nextFloat()).toBe((high * 2 ** 26 + low) / 2 ** 53);
    }
  });
});

describe('fork', () => {
  test('does not consume draws of the parent', () => {
    const plain = createRng(7);
    const forked = createRng(7);
    const expected = Array.from({ length: 20 }, () => plain.nextUint32());
    const actual: number[] = [];
    for (let i = 0; i < 20; i++) {
      forked.fork(`child-${i}`).nextUint32();
      actual.push(forked.nextUint32());
    }
    expect(actual).toEqual(expected);
  });

  test('same label → same stream, also after the parent has drawn; different labels and parents differ', () => {
    const parent = createRng(7);
    const first = parent.fork('negatives');
    parent.nextFloat();
    parent.normal();
    const second = parent.fork('negatives');
    expect(second.seed).toBe(first.seed);
    for (let i = 0; i < 50; i++) expect(second.nextUint32()).toBe(first.nextUint32());
    const streams = new Set<string>();
    for (const seed of [7, 8]) {
      for (const label of ['negatives', 'init', 'dropout', '', 'init2']) {
        const child = createRng(seed).fork(label);
        streams.add(Array.from({ length: 8 }, () => child.nextUint32()).join(','));
      }
    }
    expect(streams.size).toBe(10);
  });

  test('a fork differs from its parent, forks of forks are stable, and fork seeds are safe integers', () => {
    const parent = createRng(Number.MAX_SAFE_INTEGER);
    const child = parent.fork('a');
    expect(Number.isSafeInteger(child.seed)).toBe(true);
    expect(child.seed).not.toBe(parent.seed);
    expect(child.fork('b').nextUint32()).toBe(createRng(Number.MAX_SAFE_INTEGER).fork('a').fork('b').nextUint32());
    const p = createRng(5);
    const c = p.fork('x');
    const parentDraws = Array.from({ length: 16 }, () => p.nextUint32());
    const childDraws = Array.from({ length: 16 }, () => c.nextUint32());
    expect(childDraws).not.toEqual(parentDraws);
  });

  test('forked streams are uncorrelated (sample correlation of 20k paired uniforms is ~0)', () => {
    const a = createRng(11).fork('left');
    const b = createRng(11).fork('right');
    const n = 20_000;
    let sumA = 0;
    let sumB = 0;
    let sumAB = 0;
    let sumAA = 0;
    let sumBB = 0;
    for (let i = 0; i < n; i++) {
      const x = a.nextFloat();
      const y = b.nextFloat();
      sumA += x;
      sumB += y;
      sumAB += x * y;
      sumAA += x * x;
      sumBB += y * y;
    }
    const covariance = sumAB / n - (sumA / n) * (sumB / n);
    const correlation = covariance / Math.sqrt((sumAA / n - (sumA / n) ** 2) * (sumBB / n - (sumB / n) ** 2));
    // Under independence the correlation is ~N(0, 1/n): 4.5 standard errors = 0.032.
    expect(Math.abs(correlation)).toBeLessThan(4.5 / Math.sqrt(n));
  });
});

describe('getState / setState', () => {
  test('resumes the exact stream, including a cached spare normal', () => {
    const rng = createRng(2024);
    rng.nextFloat();
    rng.normal(); // leaves a spare normal cached
    const state = rng.getState();
    expect(state.spareNormal).not.toBeNull();
    const expected = [rng.normal(), rng.nextUint32(), rng.nextInt(1000), rng.normal(), rng.normal()];
    const restored = createRng(1);
    restored.setState(state);
    expect([
      restored.normal(),
      restored.nextUint32(),
      restored.nextInt(1000),
      restored.normal(),
      restored.normal(),
    ]).toEqual(expected);
    // The snapshot is a value: drawing more does not change it.
    const again = createRng(3);
    again.setState(JSON.parse(JSON.stringify(state)) as RngState);
    expect(again.normal()).toBe(expected[0]);
  });

  test('a state without a spare normal clears a cached one', () => {
    const source = createRng(5);
    const state = source.getState();
    const target = createRng(6);
    target.normal();
    target.setState(state);
    expect(target.normal()).toBe(source.normal());
  });

  test('rejects states that are not from getState, including the all-zero state', () => {
    const rng = createRng(1);
    const good = rng.getState();
    expectArgumentError(() => rng.setState({ ...good, algorithm: 'mt19937' as 'xoshiro128**' }));
    expectArgumentError(() => rng.setState({ ...good, words: [1, 2, 3] as unknown as RngState['words'] }));
    expectArgumentError(() => rng.setState({ ...good, words: [0, 0, 0, 0] }));
    expectArgumentError(() => rng.setState({ ...good, words: [1, 2, 3, -4] }));
    expectArgumentError(() => rng.setState({ ...good, words: [1, 2, 3, 2 ** 32] }));
    expectArgumentError(() => rng.setState({ ...good, words: [1, 2, 3, 0.5] }));
    expectArgumentError(() => rng.setState({ ...good, spareNormal: Number.NaN }));
    // A failed setState leaves the stream untouched.
    expect(rng.nextUint32()).toBe(createRng(1).nextUint32());
  });
});

describe('argument checks', () => {
  test('bad seeds are E_ARGUMENT', () => {
    for (const seed of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])
      expectArgumentError(() => createRng(seed));
  });

  test('bad nextInt bounds are E_ARGUMENT; 1 and 2^32 are accepted', () => {
    const rng = createRng(1);
    for (const max of [0, -3, 2.5, Number.NaN, 2 ** 32 + 1, Number.POSITIVE_INFINITY])
      expectArgumentError(() => rng.nextInt(max));
    for (let i = 0; i < 100; i++) expect(rng.nextInt(1)).toBe(0);
    const big = rng.nextInt(2 ** 32);
    expect(Number.isInteger(big) && big >= 0 && big < 2 ** 32).toBe(true);
  });

  test('toRng passes an Rng through and seeds a number', () => {
    const rng = createRng(3);
    expect(toRng(rng)).toBe(rng);
    expect(toRng(42).nextUint32()).toBe(2837322924);
    expectArgumentError(() => toRng(-1));
  });
});

describe('distributions', () => {
  test('nextInt(10) is uniform: chi-square over 100k draws below the 99.9% quantile (df 9)', () => {
    const rng = createRng(31337);
    const counts = new Float64Array(10);
    const n = 100_000;
    for (let i = 0; i < n; i++) counts[rng.nextInt(10)]++;
    expect(chiSquare(counts, new Float64Array(10).fill(n / 10))).toBeLessThan(CHI_SQUARE_999[9]);
  });

  test('nextInt has no modulo bias for max = 3·2^30 (plain modulo would give P(< 2^30) = 1/2, not 1/3)', () => {
    const rng = createRng(77);
    const max = 3 * 2 ** 30;
    const n = 30_000;
    let low = 0;
    let largest = 0;
    for (let i = 0; i < n; i++) {
      const value = rng.nextInt(max);
      if (value > largest) largest = value;
      if (value < 2 ** 30) low++;
    }
    expect(largest).toBeLessThan(max);
    // Binomial(n, 1/3): standard error 0.0027; 5 SE = 0.014, far below the 1/6 a biased generator would show.
    expect(Math.abs(low / n - 1 / 3)).toBeLessThan(0.014);
  });

  test('nextFloat lies in [0, 1) and is uniform (KS statistic below the 99.9% critical value)', () => {
    const rng = createRng(4241);
    const n = 50_000;
    const sample = new Float64Array(n);
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const value = rng.nextFloat();
      sample[i] = value;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(ksStatistic(sample, (x) => x)).toBeLessThan(ksCritical(n));
  });

  test('normal(): mean, variance and KS statistic against Φ; mean/sd arguments shift and scale', () => {
    const rng = createRng(99);
    const n = 40_000;
    const sample = new Float64Array(n);
    let sum = 0;
    let sumSquares = 0;
    for (let i = 0; i < n; i++) {
      const value = rng.normal();
      sample[i] = value;
      sum += value;
      sumSquares += value * value;
    }
    const mean = sum / n;
    const variance = sumSquares / n - mean * mean;
    // Standard errors: mean 1/√n = 0.005, variance √(2/n) = 0.007; bounds are 5 SE.
    expect(Math.abs(mean)).toBeLessThan(0.025);
    expect(Math.abs(variance - 1)).toBeLessThan(0.035);
    expect(ksStatistic(sample, normalCdf)).toBeLessThan(ksCritical(n));

    const a = createRng(5);
    const b = createRng(5);
    for (let i = 0; i < 10; i++) expect(a.normal(3, 2)).toBeCloseTo(3 + 2 * b.normal(), 12);
  });

  test('shuffle returns the same array as a permutation, and all 6 orders of 3 items are equally likely', () => {
    const rng = createRng(8);
    const items = Int32Array.from({ length: 100 }, (_, i) => i);
    const result = rng.shuffle(items);
    expect(result).toBe(items);
    expect(Array.from(items).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(items)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    const plain = rng.shuffle(['a', 'b', 'c', 'd']);
    expect([...plain].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(rng.shuffle([])).toEqual([]);
    expect(rng.shuffle([1])).toEqual([1]);

    const counts = new Map<string, number>();
    const n = 60_000;
    for (let i = 0; i < n; i++) {
      const key = rng.shuffle([0, 1, 2]).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    expect(chiSquare([...counts.values()], new Float64Array(6).fill(n / 6))).toBeLessThan(CHI_SQUARE_999[5]);
  });

  test('shuffle puts each item in each position uniformly (20 items, position of item 0, df 19)', () => {
    const rng = createRng(15);
    const n = 20_000;
    const counts = new Float64Array(20);
    const array = new Int32Array(20);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < 20; j++) array[j] = j;
      rng.shuffle(array);
      counts[array.indexOf(0)]++;
    }
    expect(chiSquare(counts, new Float64Array(20).fill(n / 20))).toBeLessThan(CHI_SQUARE_999[19]);
  });
});
