import { type CsrMatrix, type Rng, TrustRecError, optionNames, rejectUnknownOptions } from '@trustrec/core-linalg';
import { type BatchSampler, type Recommender, type TrainingBatch, expandRows, isFactorModel } from '@trustrec/models';
import { requireIntegerOption, requireNumberOption, requireOneOf } from '../adversarial/gradient-training.js';

/** A distillation batch: (user, item) pairs in `users` / `positives` and the teacher's targets. */
export interface DistillationBatch extends TrainingBatch {
  /** Regression target per pair: teacher score / temperature. */
  readonly targets: Float32Array;
}

export function isDistillationBatch(batch: TrainingBatch): batch is DistillationBatch {
  return (batch as Partial<DistillationBatch>).targets instanceof Float32Array;
}

export interface DistillationSamplerOptions {
  /** Pairs per epoch: an integer ≥ 1. */
  readonly samplesPerEpoch: number;
  /** Share of pairs drawn from the training positives, in [0, 1]; the rest are uniform (user, item) pairs. */
  readonly positiveFraction: number;
  /** Targets are teacher score / temperature: a finite number > 0. */
  readonly temperature: number;
}

const SAMPLER_OPTIONS = optionNames<DistillationSamplerOptions>({
  samplesPerEpoch: true,
  positiveFraction: true,
  temperature: true,
});

/**
 * E_CONFIG unless `samplesPerEpoch` is an integer ≥ 1, `temperature` a finite number > 0 and `positiveFraction`
 * a number in [0, 1] (the sampler's values, also checked among the student's hyper-parameters).
 * @internal
 */
export function requireDistillationSamplerValues(where: string, options: DistillationSamplerOptions): void {
  requireIntegerOption(where, 'samplesPerEpoch', options.samplesPerEpoch, 1);
  requireNumberOption(where, 'temperature', options.temperature, 'positive');
  requireNumberOption(where, 'positiveFraction', options.positiveFraction, 'non-negative');
  if (options.positiveFraction > 1) {
    requireOneOf(where, 'positiveFraction', options.positiveFraction, ['a number in [0, 1]']);
  }
}

/**
 * The pairs a distilled student regresses (seed 001 §4: "for each pair (u, i) with every user and item in the
 * dataset (not all are positive)"): each pair is a training positive with probability `positiveFraction`, else a
 * uniform (user, item) pair; its target is the teacher's score divided by the temperature. A teacher that is not
 * a factor model is scored user by user, so pairs are sorted by user within a batch (i.i.d. pairs: the order
 * within a batch does not change the distribution).
 */
export class DistillationSampler implements BatchSampler {
  readonly samplesPerEpoch: number;
  readonly negativesPerPositive = 1;
  private readonly teacher: Recommender;
  private readonly train: CsrMatrix;
  private readonly userOfEntry: Int32Array;
  private readonly options: DistillationSamplerOptions;

  /** Bad option names or values are E_CONFIG; a teacher whose shape is not train's is E_SHAPE. */
  constructor(teacher: Recommender, train: CsrMatrix, options: DistillationSamplerOptions) {
    if (options === null || typeof options !== 'object') {
      throw new TrustRecError({
        code: 'E_CONFIG',
        message: `DistillationSampler: options must be an object { ${SAMPLER_OPTIONS.join(', ')} }`,
      });
    }
    rejectUnknownOptions('DistillationSampler', options, SAMPLER_OPTIONS);
    requireDistillationSamplerValues('DistillationSampler', options);
    if (teacher.numUsers !== train.numRows || teacher.numItems !== train.numColumns) {
      throw new TrustRecError({
        code: 'E_SHAPE',
        message: `DistillationSampler: the teacher has ${teacher.numUsers}×${teacher.numItems} users × items but train is ${train.numRows}×${train.numColumns}`,
      });
    }
    this.teacher = teacher;
    this.train = train;
    this.userOfEntry = expandRows(train);
    this.options = options;
    this.samplesPerEpoch = options.samplesPerEpoch;
  }

  /** Draws `size` pairs into the batch and scores them with the teacher. */
  fill(batch: { users: Int32Array; positives: Int32Array; targets: Float32Array }, size: number, rng: Rng): void {
    const { numRows, numColumns, indices, nnz } = this.train;
    const { users, positives } = batch;
    for (let t = 0; t < size; t++) {
      if (nnz > 0 && rng.nextFloat() < this.options.positiveFraction) {
        const entry = rng.nextInt(nnz);
        users[t] = this.userOfEntry[entry];
        positives[t] = indices[entry];
      } else {
        users[t] = rng.nextInt(numRows);
        positives[t] = rng.nextInt(numColumns);
      }
    }
    if (!isFactorModel(this.teacher)) sortPairsByUser(users, positives, size);
    const targets = batch.targets.subarray(0, size);
    this.teacher.scorePairs(users.subarray(0, size), positives.subarray(0, size), targets);
    const inverse = 1 / this.options.temperature;
    for (let t = 0; t < size; t++) {
      if (!Number.isFinite(targets[t])) {
        throw new TrustRecError({
          code: 'E_NUMERIC',
          message: `DistillationSampler: the teacher scored (user ${users[t]}, item ${positives[t]}) as ${targets[t]}`,
        });
      }
      targets[t] *= inverse;
    }
  }

  *epoch(rng: Rng, batchSize: number): Iterable<DistillationBatch> {
    const batch = {
      size: 0,
      negativesPerPositive: 1,
      users: new Int32Array(batchSize),
      positives: new Int32Array(batchSize),
      negatives: new Int32Array(batchSize),
      targets: new Float32Array(batchSize),
    };
    for (let start = 0; start < this.samplesPerEpoch; start += batchSize) {
      const size = Math.min(batchSize, this.samplesPerEpoch - start);
      this.fill(batch, size, rng);
      batch.size = size;
      yield batch;
    }
  }
}

function sortPairsByUser(users: Int32Array, items: Int32Array, size: number): void {
  const order = Array.from({ length: size }, (_, t) => t).sort((a, b) => users[a] - users[b] || a - b);
  const sortedUsers = order.map((t) => users[t]);
  const sortedItems = order.map((t) => items[t]);
  for (let t = 0; t < size; t++) {
    users[t] = sortedUsers[t];
    items[t] = sortedItems[t];
  }
}
