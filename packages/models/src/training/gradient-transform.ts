import { type Rng, argumentError } from '@trustrec/core-linalg';
import type { SparseGradientBatch } from './sparse-gradient-batch.js';
import type { TrainingBatch } from './batch-sampler.js';

/** A model the generic gradient loop can train: it names its tables and writes per-example gradients. */
export interface GradientModel {
  parameterTables(): readonly import('./parameter-table.js').ParameterTable[];
  /**
   * Writes the gradient of each example's loss (w.r.t. the rows it touches) into `out`, one
   * `out.beginExample()` per example of `examples`, and returns the summed loss. Must not update parameters.
   */
  computeGradients(examples: TrainingBatch, out: SparseGradientBatch): number;
}

/** What a transform sees besides the gradients. */
export interface TransformContext {
  /** 0-based epoch and global step. */
  readonly epoch: number;
  readonly step: number;
  readonly learningRate: number;
  /** The transform's own stream (forked per transform name from the fit seed). */
  readonly rng: Rng;
  /** The model and the examples of this batch: adversarial terms (APR) recompute gradients at perturbed rows. */
  readonly model: GradientModel;
  readonly examples: TrainingBatch;
}

/**
 * One link of the gradient-transform chain, applied in order to the per-example sparse gradients of a batch,
 * in place, before the optimizer sums and applies them. Weight decay, clipping, noise, adversarial terms (APR,
 * He et al. 2018) and DP-SGD (Abadi et al. 2016: per-example clip + Gaussian noise) are transforms.
 */
export interface GradientTransform {
  readonly name: string;
  apply(batch: SparseGradientBatch, context: TransformContext): void;
}

/**
 * L2 regularisation as a gradient term: g += λ·θ for every entry (so a row touched by n examples is decayed n
 * times, as in per-sample BPR SGD, seed 001 eq. 10's λ_Θ‖Θ‖²). `perTable` overrides λ by table name: each value
 * a finite number ≥ 0, each name one of the batch's tables (`E_ARGUMENT` on the first batch otherwise).
 */
export function weightDecay(lambda: number, perTable: Readonly<Record<string, number>> = {}): GradientTransform {
  if (!(lambda >= 0) || !Number.isFinite(lambda))
    throw argumentError('weightDecay', `lambda must be a finite number ≥ 0, got ${lambda}`);
  if (typeof perTable !== 'object' || perTable === null)
    throw argumentError('weightDecay', `perTable must be an object of table name → λ, got ${String(perTable)}`);
  for (const [name, value] of Object.entries(perTable)) {
    if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value))
      throw argumentError('weightDecay', `perTable.${name} must be a finite number ≥ 0, got ${String(value)}`);
  }
  let lambdasFor: readonly unknown[] | undefined;
  let lambdas: number[] = [];
  return {
    name: 'weight-decay',
    apply(batch) {
      if (batch.tables !== lambdasFor) {
        const names = batch.tables.map((table) => table.name);
        for (const name of Object.keys(perTable)) {
          if (!names.includes(name)) {
            throw argumentError(
              'weightDecay',
              `perTable names table '${name}', which the model does not have (its tables: ${names.join(', ')})`,
            );
          }
        }
        lambdas = batch.tables.map((table) => perTable[table.name] ?? lambda);
        lambdasFor = batch.tables;
      }
      const { values, tableOf, rowOf, offsetOf } = batch;
      for (let e = 0; e < batch.count; e++) {
        const table = batch.tables[tableOf[e]];
        const l = lambdas[tableOf[e]];
        if (l === 0) continue;
        const length = table.rowLength;
        const source = rowOf[e] * length;
        const target = offsetOf[e];
        const data = table.data;
        for (let c = 0; c < length; c++) values[target + c] += l * data[source + c];
      }
    },
  };
}

/**
 * Per-example L2 clipping (the DP-SGD clip, Abadi et al. 2016 alg. 1): each example's gradient — all its entries
 * together — is scaled by min(1, C / ‖g‖).
 */
export function clipExampleNorm(maxNorm: number): GradientTransform {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm))
    throw argumentError('clipExampleNorm', `maxNorm must be a finite number > 0, got ${maxNorm}`);
  let norms = new Float64Array(256);
  return {
    name: 'clip-example-norm',
    apply(batch) {
      if (norms.length < batch.numExamples) norms = new Float64Array(batch.numExamples * 2);
      norms.fill(0, 0, batch.numExamples);
      const { values, exampleOf, tableOf, offsetOf } = batch;
      for (let e = 0; e < batch.count; e++) {
        const length = batch.tables[tableOf[e]].rowLength;
        let sum = 0;
        for (let c = 0; c < length; c++) sum += values[offsetOf[e] + c] * values[offsetOf[e] + c];
        norms[exampleOf[e]] += sum;
      }
      for (let e = 0; e < batch.count; e++) {
        const norm = Math.sqrt(norms[exampleOf[e]]);
        if (norm <= maxNorm) continue;
        const scale = maxNorm / norm;
        const length = batch.tables[tableOf[e]].rowLength;
        for (let c = 0; c < length; c++) values[offsetOf[e] + c] *= scale;
      }
    },
  };
}

/** Adds N(0, σ²) to every stored gradient entry (sparse noise; DP-SGD's dense noise is a trainer wrapper). */
export function gaussianNoise(standardDeviation: number): GradientTransform {
  if (!(standardDeviation >= 0) || !Number.isFinite(standardDeviation)) {
    throw argumentError('gaussianNoise', `standardDeviation must be a finite number ≥ 0, got ${standardDeviation}`);
  }
  return {
    name: 'gaussian-noise',
    apply(batch, context) {
      const { values } = batch;
      for (let p = 0; p < batch.valuesUsed; p++) values[p] += context.rng.normal(0, standardDeviation);
    },
  };
}

/** Clips every entry's row gradient to L2 norm ≤ maxNorm (a cheap stabiliser, not a privacy mechanism). */
export function clipRowNorm(maxNorm: number): GradientTransform {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm))
    throw argumentError('clipRowNorm', `maxNorm must be a finite number > 0, got ${maxNorm}`);
  return {
    name: 'clip-row-norm',
    apply(batch) {
      const { values, tableOf, offsetOf } = batch;
      for (let e = 0; e < batch.count; e++) {
        const length = batch.tables[tableOf[e]].rowLength;
        const offset = offsetOf[e];
        let sum = 0;
        for (let c = 0; c < length; c++) sum += values[offset + c] * values[offset + c];
        if (sum <= maxNorm * maxNorm) continue;
        const scale = maxNorm / Math.sqrt(sum);
        for (let c = 0; c < length; c++) values[offset + c] *= scale;
      }
    },
  };
}
