import { type CsrMatrix, TrustRecError, createRng } from '@trustrec/core-linalg';
import type { Recommender } from '@trustrec/models';
import { requireIntegerOption, requireSeedOption } from '../adversarial/gradient-training.js';
import { DistillationSampler } from './distillation-sampler.js';

/** How closely a student's scores follow a teacher's on sampled (u, i) pairs. */
export interface ScoreAgreement {
  readonly pairs: number;
  readonly pearson: number;
  readonly spearman: number;
}

/** Pearson correlation of two equal-length arrays (NaN when either is constant). */
export function pearsonCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let t = 0; t < n; t++) {
    mx += x[t];
    my += y[t];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let t = 0; t < n; t++) {
    const dx = x[t] - mx;
    const dy = y[t] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Number.NaN;
}

/** Average ranks (ties share the mean rank), 1-based. */
function ranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, t) => t).sort((a, b) => values[a] - values[b]);
  const out = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]] === values[order[start]]) end++;
    const rank = (start + end + 1) / 2;
    for (let t = start; t < end; t++) out[order[t]] = rank;
    start = end;
  }
  return out;
}

/** Spearman's rank correlation (Pearson on average ranks). */
export function spearmanCorrelation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearsonCorrelation(ranks(x), ranks(y));
}

/**
 * Pearson and Spearman correlation between student and teacher scores on `pairs` pairs drawn like the
 * distillation pairs (training positives with probability `positiveFraction`, uniform pairs otherwise).
 * `pairs` below 1 or not an integer, a bad `positiveFraction` or `seed` are E_CONFIG; a student or teacher whose
 * shape is not train's is E_SHAPE.
 */
export function scoreAgreement(
  student: Recommender,
  teacher: Recommender,
  train: CsrMatrix,
  options: { pairs: number; positiveFraction: number; seed: number },
): ScoreAgreement {
  requireIntegerOption('scoreAgreement', 'pairs', options.pairs, 1);
  requireSeedOption('scoreAgreement', options.seed);
  if (student.numUsers !== train.numRows || student.numItems !== train.numColumns) {
    throw new TrustRecError({
      code: 'E_SHAPE',
      message: `scoreAgreement: the student has ${student.numUsers}×${student.numItems} users × items but train is ${train.numRows}×${train.numColumns}`,
    });
  }
  const sampler = new DistillationSampler(teacher, train, {
    samplesPerEpoch: options.pairs,
    positiveFraction: options.positiveFraction,
    temperature: 1,
  });
  const batch = {
    users: new Int32Array(options.pairs),
    positives: new Int32Array(options.pairs),
    targets: new Float32Array(options.pairs),
  };
  sampler.fill(batch, options.pairs, createRng(options.seed).fork('agreement'));
  const studentScores = student.scorePairs(batch.users, batch.positives);
  return {
    pairs: options.pairs,
    pearson: pearsonCorrelation(studentScores, batch.targets),
    spearman: spearmanCorrelation(studentScores, batch.targets),
  };
}
