import { argumentError } from '../errors/trust-rec-error.js';

/**
 * A seeded pseudo-random generator. Every random draw in TrustRec comes from one of these, created from an
 * explicit seed, so the same seed always gives the same numbers.
 */
export interface Rng {
  /** The seed this stream was created from (forks report their derived seed). */
  readonly seed: number;
  /** Uniform unsigned 32-bit integer. */
  nextUint32(): number;
  /** Uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number;
  /** Uniform integer in [0, max), unbiased; `max` is a positive integer at most 2^32. */
  nextInt(max: number): number;
  /** Normal draw with the given mean and standard deviation (Box–Muller, spare cached). */
  normal(mean?: number, standardDeviation?: number): number;
  /** Shuffles in place (Fisher–Yates) and returns the same array. */
  shuffle<T extends { length: number; [index: number]: unknown }>(array: T): T;
  /**
   * An independent stream derived from this stream's seed and `label`, without consuming any draws from this
   * stream: adding a new consumer never shifts the numbers another consumer sees. The same label gives the
   * same stream.
   */
  fork(label: string): Rng;
  /** Snapshot of the internal state, to resume a stream exactly (checkpoints). */
  getState(): RngState;
  /** Restores a snapshot taken with {@link Rng.getState}. */
  setState(state: RngState): void;
}

export interface RngState {
  readonly algorithm: 'xoshiro128**';
  readonly words: readonly [number, number, number, number];
  readonly spareNormal: number | null;
}

const TWO_POW_32 = 4294967296;

/** splitmix32: expands a 32-bit key into well-mixed words for seeding (Steele et al.). */
function splitmix32(state: { value: number }): number {
  state.value = (state.value + 0x9e3779b9) | 0;
  let z = state.value;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over the UTF-16 code units of a string, 32-bit. */
function hashLabel(label: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * xoshiro128** (Blackman & Vigna, 2018): 128-bit state, period 2^128 − 1, passes BigCrush, and runs on 32-bit
 * integer arithmetic, which JavaScript does fast with `Math.imul`.
 */
class Xoshiro128StarStar implements Rng {
  readonly seed: number;
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    this.seed = seed;
    const low = seed >>> 0;
    const high = Math.floor(seed / TWO_POW_32) >>> 0;
    const mixer = { value: (low ^ Math.imul(high, 0x27d4eb2d)) | 0 };
    this.s0 = splitmix32(mixer);
    this.s1 = splitmix32(mixer);
    this.s2 = splitmix32(mixer) ^ high;
    this.s3 = splitmix32(mixer);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s3 = 1;
  }

  nextUint32(): number {
    const result = Math.imul(rotateLeft(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotateLeft(this.s3, 11);
    return result >>> 0;
  }

  nextFloat(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  nextInt(max: number): number {
    if (!(max > 0 && max <= TWO_POW_32 && Number.isInteger(max))) {
      throw argumentError('Rng.nextInt', `max must be an integer in [1, 2^32], got ${max}`, {
        option: 'max',
        value: max,
      });
    }
    // Rejection sampling on 32-bit draws: unbiased for every max.
    const limit = TWO_POW_32 - (TWO_POW_32 % max);
    let draw = this.nextUint32();
    while (draw >= limit) draw = this.nextUint32();
    return draw % max;
  }

  normal(mean = 0, standardDeviation = 1): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return mean + standardDeviation * this.spare;
    }
    let u = this.nextFloat();
    while (u === 0) u = this.nextFloat();
    const v = this.nextFloat();
    const radius = Math.sqrt(-2 * Math.log(u));
    const angle = 2 * Math.PI * v;
    this.spare = radius * Math.sin(angle);
    this.hasSpare = true;
    return mean + standardDeviation * radius * Math.cos(angle);
  }

  shuffle<T extends { length: number; [index: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const held = array[i];
      array[i] = array[j];
      array[j] = held;
    }
    return array;
  }

  fork(label: string): Rng {
    const labelHash = hashLabel(label);
    const low = (this.seed >>> 0) ^ labelHash;
    const high = (Math.floor(this.seed / TWO_POW_32) ^ Math.imul(labelHash, 0x9e3779b1)) & 0x1fffff;
    return new Xoshiro128StarStar(high * TWO_POW_32 + (low >>> 0));
  }

  getState(): RngState {
    return {
      algorithm: 'xoshiro128**',
      words: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0],
      spareNormal: this.hasSpare ? this.spare : null,
    };
  }

  setState(state: RngState): void {
    if (state?.algorithm !== 'xoshiro128**' || !Array.isArray(state.words) || state.words.length !== 4) {
      throw argumentError('Rng.setState', `state must come from getState() of an xoshiro128** Rng`);
    }
    const words = state.words;
    if (!words.every((word) => Number.isInteger(word) && word >= 0 && word <= 0xffffffff)) {
      throw argumentError(
        'Rng.setState',
        `state.words must be four unsigned 32-bit integers, got [${words.join(', ')}]`,
      );
    }
    if (words.every((word) => word === 0)) {
      throw argumentError('Rng.setState', 'state.words must not all be zero (xoshiro128** would output zeros forever)');
    }
    if (state.spareNormal !== null && !Number.isFinite(state.spareNormal)) {
      throw argumentError(
        'Rng.setState',
        `state.spareNormal must be null or a finite number, got ${state.spareNormal}`,
      );
    }
    [this.s0, this.s1, this.s2, this.s3] = state.words.map((word) => word | 0) as [number, number, number, number];
    this.hasSpare = state.spareNormal !== null;
    this.spare = state.spareNormal ?? 0;
  }
}

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

/**
 * Creates a seeded generator (xoshiro128**). `seed` is a non-negative safe integer (else E_ARGUMENT). The
 * integer and float draws (`nextUint32`, `nextFloat`, `nextInt`, `shuffle`, `fork`) are computed exactly from
 * 32-bit integer arithmetic, so a seed gives the same numbers on every platform and engine. `normal()` also
 * calls `Math.log`, `Math.cos` and `Math.sin`, whose results ECMAScript leaves implementation-approximated: its
 * draws are the same for a seed on one engine but may differ in the last bits between engines (it consumes the
 * same integer draws everywhere, so later draws of the stream are unaffected).
 */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw argumentError('createRng', `seed must be a non-negative safe integer, got ${seed}`, {
      option: 'seed',
      value: seed,
    });
  }
  return new Xoshiro128StarStar(seed);
}

/** Normalises a seed or an existing Rng to an Rng (like implicit's `check_random_state`, minus the unseeded case). */
export function toRng(seedOrRng: number | Rng): Rng {
  return typeof seedOrRng === 'number' ? createRng(seedOrRng) : seedOrRng;
}
