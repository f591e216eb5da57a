import { TrustRecError, argumentError, optionNames, rejectUnknownOptions } from '@trustrec/core-linalg';
import {
  type GradientModel,
  type GradientTransform,
  type ParameterTable,
  SparseGradientBatch,
  type TransformContext,
} from '@trustrec/models';
import { APR_CITATION, type DefenseDescription } from '../defense-description.js';

/** Defaults of the original APR code (He et al. 2018): ε = 0.5, λ = 1. */
export const APR_DEFAULT_EPSILON = 0.5;
export const APR_DEFAULT_LAMBDA = 1;

export interface AprTransformOptions {
  /** ε: L2 norm of the adversarial perturbation of each embedding row (default 0.5). */
  readonly epsilon?: number;
  /** λ: weight of the adversarial regulariser (default 1). */
  readonly lambda?: number;
  /**
   * Names of the parameter tables to perturb (the embeddings). Default: every table whose name contains
   * `factor` or `embedding` (case-insensitive) — MF's `userFactors` / `itemFactors`, NCF's embedding tables —
   * and never biases or dense layers.
   */
  readonly tables?: readonly string[];
  /**
   * `gradient` (default): Δ_adv by the fast gradient method (APR eq. 11); `random`: Δ of the same per-row norm
   * in a random direction (the "AMF-random" rows of seed 001 Tables 3–4).
   */
  readonly adversary?: 'gradient' | 'random';
}

/** Running sums of the adversarial term since the last {@link AprTransform.resetStats}. */
export interface AprStats {
  /** Batches the transform ran on. */
  readonly steps: number;
  /** Examples seen (one per (u, i, j) triple for BPR). */
  readonly examples: number;
  /** Σ over examples of the model's loss at Θ + Δ_adv (before the λ weight). */
  readonly adversarialLoss: number;
  /** Σ over examples of the model's loss at Θ. */
  readonly loss: number;
}

/** A {@link GradientTransform} that adds APR's adversarial regulariser, with its running statistics. */
export interface AprTransform extends GradientTransform {
  readonly epsilon: number;
  readonly lambda: number;
  readonly adversary: 'gradient' | 'random';
  readonly stats: AprStats;
  resetStats(): void;
  describe(): DefenseDescription;
}

const WHERE = 'aprTransform';
const APR_TRANSFORM_OPTIONS = optionNames<AprTransformOptions>({
  epsilon: true,
  lambda: true,
  tables: true,
  adversary: true,
});
const DEFAULT_TABLE_PATTERN = /factor|embedding/i;

/** The description of APR with these options. */
export function describeApr(options: AprTransformOptions & Readonly<Record<string, unknown>> = {}): DefenseDescription {
  const parameters: Record<string, number | string | boolean> = {
    epsilon: options.epsilon ?? APR_DEFAULT_EPSILON,
    lambda: options.lambda ?? APR_DEFAULT_LAMBDA,
    adversary: options.adversary ?? 'gradient',
  };
  for (const [key, value] of Object.entries(options)) {
    if (key in parameters || key === 'tables') continue;
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') parameters[key] = value;
  }
  if (options.tables) parameters.tables = options.tables.join(',');
  return {
    name: 'apr',
    displayName:
      options.adversary === 'random'
        ? 'AMF-random (APR with random perturbations)'
        : 'APR (adversarial personalized ranking)',
    paper: APR_CITATION,
    equations: 'seed 001 eq. 11–12: L_APR = L(Θ) + λ·L(Θ + Δ_adv), Δ_adv = ε·g/‖g‖ per row, g = ∂L/∂Θ on the batch',
    seed: '001',
    parameters,
  };
}

/**
 * Adversarial Personalized Ranking as a gradient transform (seed 001 eq. 11–12; He et al. 2018, Alg. 1): for
 * each batch, with L the model's own loss (BPR for MF-BPR, eq. 10 without L2; BCE for NCF; MSE for a distilled
 * student),
 *
 *   1. g = ∂L(batch | Θ)/∂θ_r summed over the batch for every touched row r of the perturbed (embedding) tables;
 *   2. Δ_r = ε · g_r / ‖g_r‖ (rows with g_r = 0 get Δ_r = 0), the fast-gradient solution of
 *      argmax_{‖Δ_r‖ ≤ ε} L(Θ + Δ) (eq. 11, linearised; `l2_normalize(grad, 1) · eps` in the APR code);
 *   3. the model's per-example gradients at Θ + Δ, times λ, are appended to the batch (Δ held constant, as the
 *      APR code's stop_gradient does), so the optimizer minimises L(Θ) + λ·L(Θ + Δ_adv) (eq. 12).
 *
 * Θ is restored bit-for-bit after step 3. Works on any {@link GradientModel} whose `computeGradients` reads its
 * live parameter tables; the gradients at Θ are recomputed (not read from the batch) because earlier transforms
 * (weight decay) have already changed the batch. λ = 0 makes it a no-op. Bad option values are E_ARGUMENT; an
 * option name that is not an {@link AprTransformOptions} name is E_CONFIG, as in the trainers.
 */
export function aprTransform(options: AprTransformOptions = {}): AprTransform {
  if (options === null || typeof options !== 'object')
    throw argumentError(WHERE, 'options must be an object { epsilon?, lambda?, tables?, adversary? }');
  rejectUnknownOptions(WHERE, options, APR_TRANSFORM_OPTIONS);
  const epsilon = options.epsilon ?? APR_DEFAULT_EPSILON;
  const lambda = options.lambda ?? APR_DEFAULT_LAMBDA;
  const adversary = options.adversary ?? 'gradient';
  if (typeof epsilon !== 'number' || !Number.isFinite(epsilon) || epsilon < 0) {
    throw argumentError(WHERE, `epsilon must be a finite number ≥ 0 (per-row perturbation norm), got ${epsilon}`, {
      option: 'epsilon',
      value: epsilon,
    });
  }
  if (typeof lambda !== 'number' || !Number.isFinite(lambda) || lambda < 0) {
    throw argumentError(WHERE, `lambda must be a finite number ≥ 0 (weight of the adversarial term), got ${lambda}`, {
      option: 'lambda',
      value: lambda,
    });
  }
  if (adversary !== 'gradient' && adversary !== 'random') {
    throw argumentError(WHERE, `adversary must be 'gradient' or 'random', got ${JSON.stringify(adversary)}`, {
      option: 'adversary',
    });
  }
  if (options.tables !== undefined && (!Array.isArray(options.tables) || options.tables.length === 0)) {
    throw argumentError(WHERE, 'tables must be a non-empty array of parameter-table names', { option: 'tables' });
  }
  const state = new AprState(options.tables);
  const stats = { steps: 0, examples: 0, adversarialLoss: 0, loss: 0 };
  return {
    name: 'apr',
    epsilon,
    lambda,
    adversary,
    get stats(): AprStats {
      return { ...stats };
    },
    resetStats() {
      stats.steps = 0;
      stats.examples = 0;
      stats.adversarialLoss = 0;
      stats.loss = 0;
    },
    describe: () => describeApr({ ...options, epsilon, lambda, adversary }),
    apply(batch: SparseGradientBatch, context: TransformContext) {
      if (lambda === 0) return;
      const result = state.apply(batch, context, epsilon, lambda, adversary);
      stats.steps++;
      stats.examples += result.examples;
      stats.adversarialLoss += result.adversarialLoss;
      stats.loss += result.loss;
    },
  };
}

/** Buffers of one transform instance, rebuilt when the model's tables change. */
class AprState {
  private readonly tableNames: readonly string[] | undefined;
  private tables: readonly ParameterTable[] | undefined;
  private perturbed: boolean[] = [];
  private scratch: SparseGradientBatch | undefined;
  private slotOfRow: Int32Array[] = [];
  private touched: Int32Array[] = [];
  private touchedCount: number[] = [];
  private sums: Float64Array[] = [];
  private backups: Float32Array[] = [];

  constructor(tableNames: readonly string[] | undefined) {
    this.tableNames = tableNames;
  }

  private prepare(tables: readonly ParameterTable[], batch: SparseGradientBatch): void {
    if (
      batch.tables.length !== tables.length ||
      batch.tables.some((table, t) => table.name !== tables[t].name || table.data !== tables[t].data)
    ) {
      throw new TrustRecError({
        code: 'E_SHAPE',
        message: `${WHERE}: the gradient batch was built for other tables than model.parameterTables() (${batch.tables.map((t) => t.name).join(', ')} vs ${tables.map((t) => t.name).join(', ')})`,
      });
    }
    if (tables === this.tables) return;
    const names = tables.map((table) => table.name);
    if (this.tableNames) {
      for (const name of this.tableNames) {
        if (!names.includes(name)) {
          throw new TrustRecError({
            code: 'E_CONFIG',
            message: `${WHERE}: option tables names '${name}', but the model's tables are ${names.join(', ')}`,
          });
        }
      }
    }
    this.perturbed = tables.map((table) =>
      this.tableNames ? this.tableNames.includes(table.name) : DEFAULT_TABLE_PATTERN.test(table.name),
    );
    if (!this.perturbed.some(Boolean)) {
      throw new TrustRecError({
        code: 'E_CONFIG',
        message: `${WHERE}: no embedding table to perturb among ${names.join(', ')}; name them with the tables option`,
      });
    }
    this.tables = tables;
    this.scratch = new SparseGradientBatch(tables, Math.max(1024, batch.count));
    this.slotOfRow = tables.map((table, t) =>
      this.perturbed[t] ? new Int32Array(table.numRows).fill(-1) : new Int32Array(0),
    );
    this.touched = tables.map(() => new Int32Array(64));
    this.touchedCount = tables.map(() => 0);
    this.sums = tables.map((table) => new Float64Array(64 * table.rowLength));
    this.backups = tables.map((table) => new Float32Array(64 * table.rowLength));
  }

  apply(
    batch: SparseGradientBatch,
    context: TransformContext,
    epsilon: number,
    lambda: number,
    adversary: 'gradient' | 'random',
  ): { examples: number; loss: number; adversarialLoss: number } {
    const model: GradientModel = context.model;
    const tables = model.parameterTables();
    this.prepare(tables, batch);
    const scratch = this.scratch as SparseGradientBatch;
    // 1. per-row batch gradient of the loss at Θ on the perturbed tables
    scratch.reset();
    const loss = model.computeGradients(context.examples, scratch);
    const { tableOf, rowOf, offsetOf, values: gradients } = scratch;
    for (let e = 0; e < scratch.count; e++) {
      const t = tableOf[e];
      if (!this.perturbed[t]) continue;
      const length = tables[t].rowLength;
      const slot = this.slot(t, rowOf[e], length);
      const sums = this.sums[t];
      const offset = offsetOf[e];
      const base = slot * length;
      for (let c = 0; c < length; c++) sums[base + c] += gradients[offset + c];
    }
    // 2. Θ ← Θ + Δ on the touched rows (originals kept for a bit-exact restore)
    for (let t = 0; t < tables.length; t++) {
      if (!this.perturbed[t]) continue;
      const { data, rowLength: length } = tables[t];
      const sums = this.sums[t];
      const backup = this.backups[t];
      const rows = this.touched[t];
      for (let slot = 0; slot < this.touchedCount[t]; slot++) {
        const base = rows[slot] * length;
        const sumBase = slot * length;
        if (adversary === 'random') for (let c = 0; c < length; c++) sums[sumBase + c] = context.rng.normal();
        let norm2 = 0;
        for (let c = 0; c < length; c++) norm2 += sums[sumBase + c] * sums[sumBase + c];
        if (!Number.isFinite(norm2)) {
          throw new TrustRecError({
            code: 'E_NUMERIC',
            message: `${WHERE}: the gradient of table '${tables[t].name}' row ${rows[slot]} is not finite; lower the learning rate`,
          });
        }
        const scale = norm2 > 0 ? epsilon / Math.sqrt(norm2) : 0;
        for (let c = 0; c < length; c++) {
          backup[sumBase + c] = data[base + c];
          data[base + c] += scale * sums[sumBase + c];
        }
      }
    }
    // 3. gradients at Θ + Δ, then restore Θ
    scratch.reset();
    let adversarialLoss: number;
    try {
      adversarialLoss = model.computeGradients(context.examples, scratch);
    } finally {
      for (let t = 0; t < tables.length; t++) {
        if (!this.perturbed[t]) continue;
        const { data, rowLength: length } = tables[t];
        const rows = this.touched[t];
        for (let slot = 0; slot < this.touchedCount[t]; slot++) {
          data.set(this.backups[t].subarray(slot * length, (slot + 1) * length), rows[slot] * length);
          this.slotOfRow[t][rows[slot]] = -1;
        }
        this.touchedCount[t] = 0;
      }
    }
    if (scratch.numExamples !== batch.numExamples) {
      throw new TrustRecError({
        code: 'E_SHAPE',
        message: `${WHERE}: computeGradients began ${scratch.numExamples} examples but the batch has ${batch.numExamples}; the model must be deterministic per batch`,
      });
    }
    // 4. append λ · ∇L(Θ + Δ) per example
    const adversarial = scratch.values;
    for (let e = 0; e < scratch.count; e++) {
      const t = scratch.tableOf[e];
      const length = tables[t].rowLength;
      const offset = batch.addRow(t, scratch.rowOf[e], scratch.exampleOf[e]);
      const values = batch.values;
      const source = scratch.offsetOf[e];
      for (let c = 0; c < length; c++) values[offset + c] = lambda * adversarial[source + c];
    }
    return { examples: scratch.numExamples, loss, adversarialLoss };
  }

  /** Slot of (table, row) in the per-batch row sums, zeroed on first use. */
  private slot(t: number, row: number, length: number): number {
    const slots = this.slotOfRow[t];
    let slot = slots[row];
    if (slot >= 0) return slot;
    slot = this.touchedCount[t]++;
    slots[row] = slot;
    if (slot === this.touched[t].length) {
      const rows = new Int32Array(slot * 2);
      rows.set(this.touched[t]);
      this.touched[t] = rows;
      const sums = new Float64Array(slot * 2 * length);
      sums.set(this.sums[t]);
      this.sums[t] = sums;
      this.backups[t] = new Float32Array(slot * 2 * length);
    }
    this.touched[t][slot] = row;
    this.sums[t].fill(0, slot * length, (slot + 1) * length);
    return slot;
  }
}
