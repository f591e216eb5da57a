import { type Rng, shapeError } from '@trustrec/core-linalg';
import { type TowerKernelPreference, type TowerKernels, createTowerKernels } from './tower-kernels.js';

/** Which NCF instantiation (He et al. 2017, §3.2–3.4). */
export type NcfKind = 'gmf' | 'mlp' | 'neumf';

/** The shape of an NCF network. */
export interface NcfArchitecture {
  readonly kind: NcfKind;
  readonly numUsers: number;
  readonly numItems: number;
  /** GMF predictive factors (embedding size of the GMF part); 0 for `mlp`. */
  readonly factors: number;
  /**
   * MLP tower widths, NCF-code convention: `layers[0]` is the concatenated embedding width (user and item
   * embeddings of `layers[0] / 2` each), then one ReLU layer per further entry. Empty for `gmf`.
   */
  readonly layers: readonly number[];
}

/** Optimiser of one network; `adam` is the paper's default, `sgd` the one it uses after pre-training (§3.4.1). */
export interface NcfOptimizerSettings {
  readonly optimizer: 'adam' | 'sgd';
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
}

const DEFAULT_OPTIMIZER: NcfOptimizerSettings = { optimizer: 'adam', beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/**
 * The NCF parameters and a fused, allocation-free mini-batch forward/backward pass written by hand (no autodiff).
 *
 * Model (He et al. 2017): GMF φ = p_u ⊙ q_i, ŷ = σ(hᵀφ) (eq. 8–9); MLP tower z_l = ReLU(W_lᵀ z_{l−1} + b_l)
 * over z_0 = [p_u; q_i] (eq. 10); NeuMF ŷ = σ(hᵀ[φ^GMF; φ^MLP] + b) with separate embeddings per part
 * (eq. 12). GMF and MLP alone are the same network with one part. Loss: binary cross-entropy over positives
 * and sampled negatives (eq. 7), averaged over the batch. Scores are the logits hᵀ[…] + b (monotone in ŷ, and free of the
 * ties float32 sigmoids produce near 1).
 *
 * Backward pass: ∂ℓ/∂logit = ŷ − y; the output layer and GMF product by hand; the tower as three batched
 * products per layer ({@link TowerKernels}: X·W, Xᵀ·∂Z, ∂Z·Wᵀ masked by the ReLU); embedding gradients are
 * accumulated per touched row only (a row → slot map, duplicates summed) and applied as sparse row updates.
 *
 * Optimiser: Adam (Kingma & Ba 2015, alg. 1) on the dense layers; on embeddings *lazy* Adam — the moments of
 * a row are updated only in batches that touch it, with the global step count for bias correction (PyTorch
 * `SparseAdam`, TF `LazyAdam`). This is what makes an embedding step cost O(rows touched) instead of
 * O(numUsers + numItems); it differs from dense Adam, where untouched rows keep moving on stale momentum.
 * With the `wasm-simd` kernels the embedding tables, their moments and the sparse gradients live in the
 * kernels' WebAssembly memory and lazy Adam runs there four lanes at a time in float32 (as PyTorch's Adam);
 * the typed-array path runs the same update in JavaScript. `sgd` is plain θ ← θ − η·g everywhere.
 */
export class NcfNetwork {
  readonly architecture: NcfArchitecture;
  readonly kernels: TowerKernels;
  /** Rows per forward/backward call (the training batch size; scoring uses the same buffers). */
  readonly capacity: number;
  /** Live parameters by name (see {@link NcfNetwork.parameterNames}). */
  readonly parameters: Record<string, Float32Array> = {};
  /** Gradients of the dense parameters after {@link computeGradients} (same names as the parameters). */
  readonly denseGradients: Record<string, Float32Array> = {};
  readonly hasGmf: boolean;
  readonly hasMlp: boolean;
  /** Half of layers[0]: the MLP embedding size per side. */
  readonly mlpFactors: number;
  /** Width of the output layer's input: factors + last tower width. */
  readonly outputWidth: number;
  optimizer: NcfOptimizerSettings = DEFAULT_OPTIMIZER;
  /**
   * λ of an L2 penalty λ‖θ‖² on the embedding rows each batch touches (the NCF reference code's `reg_mf` and
   * `reg_layers[0]`, applied lazily to the rows in the batch, like the optimiser): {@link computeGradients} adds
   * 2λθ to the gradient of each touched row once per batch. 0 (the reference default) turns it off.
   */
  embeddingRegularization = 0;

  // tower buffers: activations[0] = embedding input, activations[l] = output of layer l
  private readonly activations: Float32Array[] = [];
  private readonly deltas: Float32Array[] = [];
  private readonly weights: Float32Array[] = [];
  private readonly weightsTransposed: Float32Array[] = [];
  private readonly biases: Float32Array[] = [];
  private readonly weightGradients: Float32Array[] = [];
  private readonly biasGradients: Float32Array[] = [];
  private readonly gmfProduct: Float32Array;
  private readonly logits: Float32Array;
  // sparse embedding gradients: per side, row → slot, the touched rows, and [gmf | mlp] gradient per slot
  private readonly userSlot: Int32Array;
  private readonly itemSlot: Int32Array;
  private readonly touchedUsers: Int32Array;
  private readonly touchedItems: Int32Array;
  private touchedUserCount = 0;
  private touchedItemCount = 0;
  private readonly userGradients: Float32Array;
  private readonly itemGradients: Float32Array;
  private readonly embeddingWidth: number;
  // optimiser state
  private readonly firstMoments: Record<string, Float32Array> = {};
  private readonly secondMoments: Record<string, Float32Array> = {};
  private step = 0;
  private readonly denseNames: string[];

  constructor(architecture: NcfArchitecture, capacity: number, kernelPreference: TowerKernelPreference = 'auto') {
    const { kind, numUsers, numItems, factors, layers } = architecture;
    this.architecture = architecture;
    this.capacity = capacity;
    this.hasGmf = kind !== 'mlp';
    this.hasMlp = kind !== 'gmf';
    if (this.hasGmf && !(factors > 0)) throw shapeError('NcfNetwork', `${kind} needs factors ≥ 1, got ${factors}`);
    if (this.hasMlp && (layers.length < 2 || layers[0] % 2 !== 0)) {
      throw shapeError(
        'NcfNetwork',
        `${kind} needs at least two layer widths with an even first width, got [${layers.join(', ')}]`,
      );
    }
    const towerLayers = this.hasMlp ? layers : [];
    this.mlpFactors = this.hasMlp ? layers[0] / 2 : 0;
    this.outputWidth = (this.hasGmf ? factors : 0) + (this.hasMlp ? layers[layers.length - 1] : 0);
    this.embeddingWidth = (this.hasGmf ? factors : 0) + this.mlpFactors;

    let floats = 0;
    for (let l = 0; l < towerLayers.length; l++) {
      floats += 2 * capacity * towerLayers[l];
      if (l > 0) floats += 3 * towerLayers[l - 1] * towerLayers[l] + towerLayers[l];
    }
    // Embedding tables, their Adam moments and the sparse gradient buffers also live in the kernels' memory
    // (so the SIMD lazy-Adam routine can update them) unless that would make the arena larger than 1 GiB.
    const gmfFactors = this.hasGmf ? factors : 0;
    const embeddingWidth = gmfFactors + this.mlpFactors;
    const embeddingFloats = 3 * (numUsers + numItems) * embeddingWidth + 2 * capacity * (embeddingWidth + 1);
    const embeddingsInArena = embeddingFloats * 4 < 2 ** 30;
    this.kernels = createTowerKernels(
      kernelPreference,
      towerLayers,
      floats + (embeddingsInArena ? embeddingFloats : 0),
    );
    const k = this.kernels;
    const allocate = (length: number): Float32Array =>
      embeddingsInArena ? k.allocate(length) : new Float32Array(length);
    for (let l = 0; l < towerLayers.length; l++) {
      this.activations.push(k.allocate(capacity * towerLayers[l]));
      this.deltas.push(k.allocate(capacity * towerLayers[l]));
      if (l === 0) continue;
      const inputs = towerLayers[l - 1];
      const outputs = towerLayers[l];
      this.weights.push(k.allocate(inputs * outputs));
      this.weightsTransposed.push(k.allocate(inputs * outputs));
      this.biases.push(k.allocate(outputs));
      this.weightGradients.push(k.allocate(inputs * outputs));
      this.biasGradients.push(new Float32Array(outputs));
    }
    if (this.hasGmf) {
      this.parameters.gmfUser = allocate(numUsers * factors);
      this.parameters.gmfItem = allocate(numItems * factors);
    }
    if (this.hasMlp) {
      this.parameters.mlpUser = allocate(numUsers * this.mlpFactors);
      this.parameters.mlpItem = allocate(numItems * this.mlpFactors);
      for (let l = 0; l < this.weights.length; l++) {
        this.parameters[`weights${l}`] = this.weights[l];
        this.parameters[`bias${l}`] = this.biases[l];
        this.denseGradients[`weights${l}`] = this.weightGradients[l];
        this.denseGradients[`bias${l}`] = this.biasGradients[l];
      }
    }
    this.parameters.outputWeights = new Float32Array(this.outputWidth);
    this.parameters.outputBias = new Float32Array(1);
    this.denseGradients.outputWeights = new Float32Array(this.outputWidth);
    this.denseGradients.outputBias = new Float32Array(1);
    this.gmfProduct = new Float32Array(this.hasGmf ? capacity * factors : 0);
    this.logits = new Float32Array(capacity);
    this.userSlot = new Int32Array(numUsers).fill(-1);
    this.itemSlot = new Int32Array(numItems).fill(-1);
    this.touchedUsers = embeddingsInArena ? k.allocateInt32(capacity) : new Int32Array(capacity);
    this.touchedItems = embeddingsInArena ? k.allocateInt32(capacity) : new Int32Array(capacity);
    this.userGradients = allocate(capacity * this.embeddingWidth);
    this.itemGradients = allocate(capacity * this.embeddingWidth);
    this.denseNames = Object.keys(this.denseGradients);
    for (const name of Object.keys(this.parameters)) {
      const dense = name in this.denseGradients;
      const length = this.parameters[name].length;
      this.firstMoments[name] = dense ? new Float32Array(length) : allocate(length);
      this.secondMoments[name] = dense ? new Float32Array(length) : allocate(length);
    }
  }

  /** Parameter names in a fixed order (the save format's array names). */
  get parameterNames(): string[] {
    return Object.keys(this.parameters);
  }

  /** Number of layers in the MLP tower (0 for GMF). */
  get towerDepth(): number {
    return this.weights.length;
  }

  /**
   * Initialisation as in the NCF reference code (guoyang9/NCF, the PyTorch port the peer timing used):
   * embeddings N(0, 0.01²), tower weights Glorot-uniform, output weights Kaiming-uniform (a = 1, i.e. U(±√(3/fan_in))),
   * biases 0. Resets the optimiser.
   */
  initialize(rng: Rng): void {
    for (const name of ['gmfUser', 'gmfItem', 'mlpUser', 'mlpItem']) {
      const table = this.parameters[name];
      if (!table) continue;
      const stream = rng.fork(name);
      for (let i = 0; i < table.length; i++) table[i] = stream.normal(0, 0.01);
    }
    const layers = this.architecture.layers;
    for (let l = 0; l < this.weights.length; l++) {
      const stream = rng.fork(`weights${l}`);
      const bound = Math.sqrt(6 / (layers[l] + layers[l + 1]));
      const w = this.weights[l];
      for (let i = 0; i < w.length; i++) w[i] = (2 * stream.nextFloat() - 1) * bound;
      this.biases[l].fill(0);
    }
    const stream = rng.fork('outputWeights');
    const bound = Math.sqrt(3 / this.outputWidth);
    const h = this.parameters.outputWeights;
    for (let i = 0; i < h.length; i++) h[i] = (2 * stream.nextFloat() - 1) * bound;
    this.parameters.outputBias[0] = 0;
    this.resetOptimizer();
  }

  /** Zeroes the optimiser moments and step count; call after writing parameters directly (e.g. pre-training). */
  resetOptimizer(): void {
    for (const name of Object.keys(this.firstMoments)) {
      this.firstMoments[name].fill(0);
      this.secondMoments[name].fill(0);
    }
    this.step = 0;
    this.syncTransposedWeights();
  }

  /** Replaces a parameter's values (length-checked); keeps the live array. */
  setParameter(name: string, values: Float32Array): void {
    const target = this.parameters[name];
    if (!target || target.length !== values.length) {
      throw shapeError(
        'NcfNetwork.setParameter',
        `parameter '${name}' has ${target?.length ?? 'no'} values, got ${values.length}`,
      );
    }
    target.set(values);
    if (name.startsWith('weights')) this.syncTransposedWeights();
  }

  /** Copies Wₗ into the transposed buffers the input-gradient kernel reads. */
  syncTransposedWeights(): void {
    const layers = this.architecture.layers;
    for (let l = 0; l < this.weights.length; l++) {
      const inputs = layers[l];
      const outputs = layers[l + 1];
      const w = this.weights[l];
      const wt = this.weightsTransposed[l];
      for (let p = 0; p < inputs; p++) for (let j = 0; j < outputs; j++) wt[j * inputs + p] = w[p * outputs + j];
    }
  }

  /**
   * Logits of (users[t], items[t]) for t < rows ≤ capacity, written to out[outOffset + t]. `E_SHAPE` when `rows`
   * is not an integer in [0, capacity], `users` / `items` hold fewer than `rows` ids, an id is outside
   * [0, numUsers) / [0, numItems), or `out` has no room for `rows` values from `outOffset`.
   */
  forward(users: Int32Array, items: Int32Array, rows: number, out?: Float32Array, outOffset = 0): Float32Array {
    this.checkRows('NcfNetwork.forward', users, items, rows);
    if (out !== undefined && !(Number.isInteger(outOffset) && outOffset >= 0 && outOffset + rows <= out.length)) {
      throw shapeError(
        'NcfNetwork.forward',
        `out (length ${out.length}) has no room for ${rows} logits from outOffset ${outOffset}`,
      );
    }
    const { factors, layers } = this.architecture;
    const logits = this.logits;
    if (this.hasMlp) {
      const e = this.mlpFactors;
      const width = 2 * e;
      const x0 = this.activations[0];
      const userTable = this.parameters.mlpUser;
      const itemTable = this.parameters.mlpItem;
      for (let s = 0; s < rows; s++) {
        const userBase = users[s] * e;
        const itemBase = items[s] * e;
        const xBase = s * width;
        for (let k = 0; k < e; k++) {
          x0[xBase + k] = userTable[userBase + k];
          x0[xBase + e + k] = itemTable[itemBase + k];
        }
      }
      for (let l = 0; l < this.weights.length; l++) {
        this.kernels.denseForward(
          this.activations[l],
          this.weights[l],
          this.biases[l],
          this.activations[l + 1],
          rows,
          layers[l],
          layers[l + 1],
          true,
        );
      }
    }
    const h = this.parameters.outputWeights;
    const bias = this.parameters.outputBias[0];
    const last = this.hasMlp ? this.activations[this.activations.length - 1] : this.logits;
    const lastWidth = this.hasMlp ? layers[layers.length - 1] : 0;
    const gmfWidth = this.hasGmf ? factors : 0;
    const gmfUser = this.parameters.gmfUser;
    const gmfItem = this.parameters.gmfItem;
    const product = this.gmfProduct;
    for (let s = 0; s < rows; s++) {
      let z = bias;
      if (gmfWidth > 0) {
        const userBase = users[s] * gmfWidth;
        const itemBase = items[s] * gmfWidth;
        const productBase = s * gmfWidth;
        for (let k = 0; k < gmfWidth; k++) {
          const value = gmfUser[userBase + k] * gmfItem[itemBase + k];
          product[productBase + k] = value;
          z += h[k] * value;
        }
      }
      const lastBase = s * lastWidth;
      for (let k = 0; k < lastWidth; k++) z += h[gmfWidth + k] * last[lastBase + k];
      logits[s] = z;
    }
    if (out) {
      for (let s = 0; s < rows; s++) out[outOffset + s] = logits[s];
      return out;
    }
    return logits;
  }

  /** The argument checks of {@link forward}: once per call, one comparison per id. */
  private checkRows(where: string, users: Int32Array, items: Int32Array, rows: number): void {
    if (!Number.isInteger(rows) || rows < 0 || rows > this.capacity) {
      throw shapeError(where, `${rows} rows: expected an integer in [0, ${this.capacity}] (rows exceed the capacity)`);
    }
    if (users.length < rows || items.length < rows) {
      throw shapeError(where, `users (${users.length}) and items (${items.length}) hold fewer than ${rows} ids`);
    }
    const { numUsers, numItems } = this.architecture;
    for (let s = 0; s < rows; s++) {
      const user = users[s];
      const item = items[s];
      if (!(user >= 0 && user < numUsers)) throw shapeError(where, `users[${s}] = ${user} is outside [0, ${numUsers})`);
      if (!(item >= 0 && item < numItems)) throw shapeError(where, `items[${s}] = ${item} is outside [0, ${numItems})`);
    }
  }

  /**
   * Forward + backward on one batch; leaves the gradient of the mean BCE loss (plus, with
   * {@link embeddingRegularization} λ > 0, of λ‖θ‖² over the touched embedding rows) in {@link denseGradients} and
   * the sparse embedding gradients (read them with {@link embeddingGradient}). Returns the summed (not mean) BCE
   * loss, without the penalty.
   * Does not change parameters.
   */
  computeGradients(users: Int32Array, items: Int32Array, labels: Float32Array, rows: number): number {
    if (labels.length < rows)
      throw shapeError('NcfNetwork.computeGradients', `labels has ${labels.length} values for ${rows} rows`);
    this.clearEmbeddingGradients();
    this.forward(users, items, rows);
    const { factors, layers } = this.architecture;
    const gmfWidth = this.hasGmf ? factors : 0;
    const lastWidth = this.hasMlp ? layers[layers.length - 1] : 0;
    const width = this.embeddingWidth;
    const h = this.parameters.outputWeights;
    const gh = this.denseGradients.outputWeights;
    gh.fill(0);
    let gBias = 0;
    const last = this.hasMlp ? this.activations[this.activations.length - 1] : this.logits;
    const lastDelta = this.hasMlp ? this.deltas[this.deltas.length - 1] : this.logits;
    const product = this.gmfProduct;
    const gmfUser = this.parameters.gmfUser;
    const gmfItem = this.parameters.gmfItem;
    const userGradients = this.userGradients;
    const itemGradients = this.itemGradients;
    const scale = 1 / rows;
    let loss = 0;
    for (let s = 0; s < rows; s++) {
      const z = this.logits[s];
      const y = labels[s];
      // BCE on logits, stably: softplus(z) − y·z; ∂/∂z = σ(z) − y.
      loss += Math.max(z, 0) - y * z + Math.log1p(Math.exp(-Math.abs(z)));
      const d = (1 / (1 + Math.exp(-z)) - y) * scale;
      gBias += d;
      const userSlot = this.slotOf(users[s], true);
      const itemSlot = this.slotOf(items[s], false);
      if (gmfWidth > 0) {
        const productBase = s * gmfWidth;
        const userBase = users[s] * gmfWidth;
        const itemBase = items[s] * gmfWidth;
        const userGradBase = userSlot * width;
        const itemGradBase = itemSlot * width;
        for (let k = 0; k < gmfWidth; k++) {
          gh[k] += d * product[productBase + k];
          const dPhi = d * h[k];
          userGradients[userGradBase + k] += dPhi * gmfItem[itemBase + k];
          itemGradients[itemGradBase + k] += dPhi * gmfUser[userBase + k];
        }
      }
      const lastBase = s * lastWidth;
      for (let k = 0; k < lastWidth; k++) {
        const activation = last[lastBase + k];
        gh[gmfWidth + k] += d * activation;
        lastDelta[lastBase + k] = activation > 0 ? d * h[gmfWidth + k] : 0;
      }
    }
    this.denseGradients.outputBias[0] = gBias;
    if (this.hasMlp) {
      for (let l = this.weights.length - 1; l >= 0; l--) {
        const inputs = layers[l];
        const outputs = layers[l + 1];
        const delta = this.deltas[l + 1];
        this.kernels.weightGradient(this.activations[l], delta, this.weightGradients[l], rows, inputs, outputs);
        const gb = this.biasGradients[l];
        gb.fill(0);
        for (let s = 0; s < rows; s++) for (let j = 0; j < outputs; j++) gb[j] += delta[s * outputs + j];
        this.kernels.inputGradient(
          delta,
          this.weightsTransposed[l],
          this.deltas[l],
          rows,
          outputs,
          inputs,
          l > 0 ? this.activations[l] : null,
        );
      }
      const e = this.mlpFactors;
      const d0 = this.deltas[0];
      for (let s = 0; s < rows; s++) {
        const userBase = this.userSlot[users[s]] * width + gmfWidth;
        const itemBase = this.itemSlot[items[s]] * width + gmfWidth;
        const deltaBase = s * 2 * e;
        for (let k = 0; k < e; k++) {
          userGradients[userBase + k] += d0[deltaBase + k];
          itemGradients[itemBase + k] += d0[deltaBase + e + k];
        }
      }
    }
    if (this.embeddingRegularization > 0) this.addEmbeddingPenaltyGradients();
    return loss;
  }

  /** The rows of one side (users or items) the last batch touched, and their gradients by slot. */
  private touchedSide(user: boolean): { rows: Int32Array; count: number; gradients: Float32Array } {
    return user
      ? { rows: this.touchedUsers, count: this.touchedUserCount, gradients: this.userGradients }
      : { rows: this.touchedItems, count: this.touchedItemCount, gradients: this.itemGradients };
  }

  /** Adds 2λθ_row to the gradient of every touched embedding row (both parts, both sides). */
  private addEmbeddingPenaltyGradients(): void {
    const twoLambda = 2 * this.embeddingRegularization;
    const width = this.embeddingWidth;
    const gmfWidth = this.hasGmf ? this.architecture.factors : 0;
    const e = this.mlpFactors;
    for (const user of [true, false]) {
      const { rows, count, gradients } = this.touchedSide(user);
      const gmfTable = this.parameters[user ? 'gmfUser' : 'gmfItem'];
      const mlpTable = this.parameters[user ? 'mlpUser' : 'mlpItem'];
      for (let slot = 0; slot < count; slot++) {
        const row = rows[slot];
        const base = slot * width;
        for (let k = 0; k < gmfWidth; k++) gradients[base + k] += twoLambda * gmfTable[row * gmfWidth + k];
        for (let k = 0; k < e; k++) gradients[base + gmfWidth + k] += twoLambda * mlpTable[row * e + k];
      }
    }
  }

  private slotOf(row: number, user: boolean): number {
    const slots = user ? this.userSlot : this.itemSlot;
    let slot = slots[row];
    if (slot >= 0) return slot;
    const gradients = user ? this.userGradients : this.itemGradients;
    if (user) {
      slot = this.touchedUserCount++;
      this.touchedUsers[slot] = row;
    } else {
      slot = this.touchedItemCount++;
      this.touchedItems[slot] = row;
    }
    slots[row] = slot;
    gradients.fill(0, slot * this.embeddingWidth, (slot + 1) * this.embeddingWidth);
    return slot;
  }

  private clearEmbeddingGradients(): void {
    for (let t = 0; t < this.touchedUserCount; t++) this.userSlot[this.touchedUsers[t]] = -1;
    for (let t = 0; t < this.touchedItemCount; t++) this.itemSlot[this.touchedItems[t]] = -1;
    this.touchedUserCount = 0;
    this.touchedItemCount = 0;
  }

  /**
   * The gradient of the last {@link computeGradients} batch for row `row` of an embedding table (`gmfUser`,
   * `gmfItem`, `mlpUser`, `mlpItem`), zeros for rows the batch did not touch. For tests and gradient checks.
   */
  embeddingGradient(table: 'gmfUser' | 'gmfItem' | 'mlpUser' | 'mlpItem', row: number): Float32Array {
    const user = table.endsWith('User');
    const gmf = table.startsWith('gmf');
    const length = gmf ? this.architecture.factors : this.mlpFactors;
    const slot = (user ? this.userSlot : this.itemSlot)[row];
    const result = new Float32Array(length);
    if (slot < 0) return result;
    const offset = slot * this.embeddingWidth + (gmf ? 0 : this.hasGmf ? this.architecture.factors : 0);
    result.set((user ? this.userGradients : this.itemGradients).subarray(offset, offset + length));
    return result;
  }

  /** One optimiser step with the gradients of the last {@link computeGradients}. */
  applyGradients(learningRate: number): void {
    this.step++;
    const { optimizer, beta1, beta2, epsilon } = this.optimizer;
    const adam = optimizer === 'adam';
    const stepSize = adam ? learningRate / (1 - beta1 ** this.step) : learningRate;
    const inverseCorrection2 = adam ? 1 / (1 - beta2 ** this.step) : 1;
    for (const name of this.denseNames) {
      const theta = this.parameters[name];
      const g = this.denseGradients[name];
      if (adam)
        adamRows(
          theta,
          this.firstMoments[name],
          this.secondMoments[name],
          g,
          null,
          1,
          0,
          theta.length,
          0,
          beta1,
          beta2,
          epsilon,
          stepSize,
          inverseCorrection2,
        );
      else sgdRows(theta, g, null, 1, 0, theta.length, 0, learningRate);
    }
    if (this.hasMlp) this.syncTransposedWeights();
    const gmfWidth = this.hasGmf ? this.architecture.factors : 0;
    const e = this.mlpFactors;
    const width = this.embeddingWidth;
    const p = this.parameters;
    const m1 = this.firstMoments;
    const m2 = this.secondMoments;
    for (const user of [true, false]) {
      const { rows, count, gradients } = this.touchedSide(user);
      for (let part = 0; part < 2; part++) {
        const length = part === 0 ? gmfWidth : e;
        if (length === 0) continue;
        const name = part === 0 ? (user ? 'gmfUser' : 'gmfItem') : user ? 'mlpUser' : 'mlpItem';
        const offset = part === 0 ? 0 : gmfWidth;
        const theta = p[name];
        if (adam) {
          const args = [m1[name], m2[name], gradients, rows, count, offset, length, width] as const;
          if (!this.kernels.adamRows(theta, ...args, beta1, beta2, epsilon, stepSize, inverseCorrection2)) {
            adamRows(theta, ...args, beta1, beta2, epsilon, stepSize, inverseCorrection2);
          }
        } else sgdRows(theta, gradients, rows, count, offset, length, width, learningRate);
      }
    }
  }

  /** computeGradients + applyGradients; returns the summed loss of the batch. */
  trainBatch(users: Int32Array, items: Int32Array, labels: Float32Array, rows: number, learningRate: number): number {
    const loss = this.computeGradients(users, items, labels, rows);
    this.applyGradients(learningRate);
    return loss;
  }
}

/**
 * Adam (Kingma & Ba 2015, alg. 1) on `count` rows of `length` floats: row r of `theta` (r = rows[t], or t when
 * `rows` is null) with gradient g[t·gradientStride + gradientOffset + c]. One call per table and batch, so the
 * loop stays monomorphic and allocation-free.
 */
function adamRows(
  theta: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  rows: Int32Array | null,
  count: number,
  gradientOffset: number,
  length: number,
  gradientStride: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  stepSize: number,
  inverseCorrection2: number,
): void {
  const oneMinusBeta1 = 1 - beta1;
  const oneMinusBeta2 = 1 - beta2;
  for (let t = 0; t < count; t++) {
    const base = (rows === null ? t : rows[t]) * length;
    const gradientBase = t * gradientStride + gradientOffset;
    for (let c = 0; c < length; c++) {
      const gradient = g[gradientBase + c];
      const index = base + c;
      const first = beta1 * m[index] + oneMinusBeta1 * gradient;
      const second = beta2 * v[index] + oneMinusBeta2 * gradient * gradient;
      m[index] = first;
      v[index] = second;
      theta[index] -= (stepSize * first) / (Math.sqrt(second * inverseCorrection2) + epsilon);
    }
  }
}

/** Plain SGD θ ← θ − η·g on rows, with the addressing of {@link adamRows}. */
function sgdRows(
  theta: Float32Array,
  g: Float32Array,
  rows: Int32Array | null,
  count: number,
  gradientOffset: number,
  length: number,
  gradientStride: number,
  learningRate: number,
): void {
  for (let t = 0; t < count; t++) {
    const base = (rows === null ? t : rows[t]) * length;
    const gradientBase = t * gradientStride + gradientOffset;
    for (let c = 0; c < length; c++) theta[base + c] -= learningRate * g[gradientBase + c];
  }
}
