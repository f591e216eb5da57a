import type { Rng } from '@trustrec/core-linalg';

const TWO_POW_32 = 4294967296;
const TWO_POW_MINUS_52 = 2 ** -52;

/**
 * A uniform draw from (0, 1) in which EVERY double is reachable with probability proportional to the width of
 * the real interval it represents — not only the 2⁵³ multiples of 2⁻⁵³ that `rng.nextFloat()` yields.
 *
 * Mironov (2012), "On Significance of the Least Significant Bits for Differential Privacy" (CCS), requires
 * this for the snapping mechanism: with the usual 53-bit grid, ln(U) takes only 2⁵³ values and small |ln U| are
 * represented very unevenly, which makes the set of outputs of the naive Laplace sampler depend on the input.
 *
 * Construction: the binary exponent e (value in [2^−e−1, 2^−e)) is geometric, P(e = k) = 2^−k−1 — the number
 * of leading zero bits in a stream of fair bits — and the 52 mantissa bits are uniform. The result is
 * 2^−e−1 · (1 + m/2⁵²). The exponent is capped at 1022 (probability 2^−1023 of reaching the cap).
 */
export function uniformFullPrecision(rng: Rng): number {
  let exponent = 0;
  let word = rng.nextUint32();
  while (word === 0 && exponent < 992) {
    exponent += 32;
    word = rng.nextUint32();
  }
  exponent += Math.clz32(word);
  if (exponent > 1022) exponent = 1022;
  const high = rng.nextUint32() >>> 12; // 20 bits
  const low = rng.nextUint32(); // 32 bits
  const mantissa = (high * TWO_POW_32 + low) * TWO_POW_MINUS_52; // in [0, 1)
  return (1 + mantissa) * 2 ** (-exponent - 1);
}
