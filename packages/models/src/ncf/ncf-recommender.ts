import { type CsrMatrix, type Rng, TrustRecError, createRng, shapeError } from '@trustrec/core-linalg';
import { abortedError } from '../errors/not-fitted-error.js';
import { BaseRecommender } from '../recommender/base-recommender.js';
import type { FitOptions, FitReport, ModelDescription } from '../recommender/recommender.js';
import {
  type DecodedModel,
  encodeModel,
  requireStoredArray,
  requireStoredCount,
} from '../serialization/model-format.js';
import { runEpochs } from '../training/training-loop.js';
import { NCF_REFERENCE, type NcfCommonHyperParameters } from './ncf-hyper-parameters.js';
import { NcfInstanceSampler } from './ncf-instance-sampler.js';
import { type NcfArchitecture, type NcfKind, NcfNetwork } from './ncf-network.js';

/** Rows scored per forward call when scoring (training uses `batchSize`). */
const MIN_SCORING_ROWS = 512;
/** Batches between AbortSignal checks inside an epoch. */
const ABORT_CHECK_BATCHES = 256;

/**
 * Shared fit / score / save for GMF, MLP and NeuMF (He et al. 2017). Training is pointwise BCE with
 * `negatives` uniform negatives per positive, re-drawn each epoch, shuffled, in mini-batches of `batchSize`
 * (§4.1), through the fused hand-written forward/backward of {@link NcfNetwork}. Scores are logits.
 */
export abstract class NcfRecommender<H extends NcfCommonHyperParameters> extends BaseRecommender {
  abstract override readonly name: NcfKind;
  abstract readonly displayName: string;
  readonly hyperParameters: H;
  protected net: NcfNetwork | undefined;
  private scoringUsers = new Int32Array(0);
  private scoringItems = new Int32Array(0);

  protected constructor(hyperParameters: H) {
    super();
    this.hyperParameters = hyperParameters;
  }

  /** The network shape for a training matrix of this size; throws E_CONFIG for impossible shapes. */
  protected abstract architecture(numUsers: number, numItems: number): NcfArchitecture;

  /**
   * Hook before training, after the seeded random initialisation: NeuMF writes pre-trained parameters here.
   * Returns true when the parameters came from pre-training (then `optimizer: 'auto'` means SGD).
   */
  protected async prepare(
    _train: CsrMatrix,
    _network: NcfNetwork,
    _rng: Rng,
    _options: FitOptions | undefined,
  ): Promise<boolean> {
    return false;
  }

  /** The live network (parameters, forward, gradients): for attacks and defenses that need NCF internals. */
  get network(): NcfNetwork {
    this.requireFitted('network');
    return this.net as NcfNetwork;
  }

  /** Which tower kernels run (`wasm-simd` or `typed-array`); the hyper-parameter before fit. */
  get backend(): string {
    return this.net?.kernels.name ?? this.hyperParameters.kernels;
  }

  protected createNetwork(numUsers: number, numItems: number): NcfNetwork {
    const capacity = Math.max(this.hyperParameters.batchSize, MIN_SCORING_ROWS);
    return new NcfNetwork(this.architecture(numUsers, numItems), capacity, this.hyperParameters.kernels);
  }

  async fit(train: CsrMatrix, options?: FitOptions): Promise<FitReport> {
    this.checkTrain(train, options);
    const h = this.hyperParameters;
    const rng = createRng(h.seed);
    const network = this.createNetwork(train.numRows, train.numColumns);
    network.initialize(rng.fork('init'));
    const pretrainStart = performance.now();
    const pretrained = await this.prepare(train, network, rng.fork('pretrain'), options);
    const pretrainSeconds = (performance.now() - pretrainStart) / 1000;
    const optimizer = h.optimizer === 'auto' ? (pretrained ? 'sgd' : 'adam') : h.optimizer;
    network.optimizer = { ...network.optimizer, optimizer };
    network.embeddingRegularization = h.regularization;
    network.resetOptimizer();
    this.net = network;
    this.numUsers = train.numRows;
    this.numItems = train.numColumns;
    this.fitted = true;
    const sampler = new NcfInstanceSampler(train, h.negatives);
    const samplerRng = rng.fork('instances');
    const batchSize = h.batchSize;
    const report = await runEpochs({
      model: this,
      epochs: h.epochs,
      backend: network.kernels.name,
      fit: options,
      runEpoch: (epoch) => {
        const { users, items, labels, count } = sampler.epoch(samplerRng);
        let loss = 0;
        let batches = 0;
        for (let start = 0; start < count; start += batchSize) {
          if (++batches % ABORT_CHECK_BATCHES === 0 && options?.signal?.aborted) throw abortedError(this.name, epoch);
          const end = Math.min(count, start + batchSize);
          loss += network.trainBatch(
            users.subarray(start, end),
            items.subarray(start, end),
            labels.subarray(start, end),
            end - start,
            h.learningRate,
          );
        }
        if (!Number.isFinite(loss)) {
          throw new TrustRecError({
            code: 'E_NUMERIC',
            message: `${this.name}.fit: the training loss became ${loss} in epoch ${epoch + 1}; lower learningRate (now ${h.learningRate})`,
          });
        }
        return { loss: count > 0 ? loss / count : Number.NaN, samples: count, learningRate: h.learningRate };
      },
    });
    return pretrained ? { ...report, seconds: report.seconds + pretrainSeconds, pretrainSeconds } : report;
  }

  private scoringBuffers(): [Int32Array, Int32Array, number] {
    const capacity = (this.net as NcfNetwork).capacity;
    if (this.scoringUsers.length !== capacity) {
      this.scoringUsers = new Int32Array(capacity);
      this.scoringItems = new Int32Array(capacity);
    }
    return [this.scoringUsers, this.scoringItems, capacity];
  }

  scoreUser(user: number, out?: Float32Array): Float32Array {
    this.requireFitted('scoreUser');
    this.checkUser('scoreUser', user);
    const m = this.numItems;
    const result = this.outputBuffer('scoreUser', m, out);
    const network = this.net as NcfNetwork;
    const [users, items, capacity] = this.scoringBuffers();
    users.fill(user);
    for (let start = 0; start < m; start += capacity) {
      const rows = Math.min(capacity, m - start);
      for (let t = 0; t < rows; t++) items[t] = start + t;
      network.forward(users, items, rows, result, start);
    }
    return result;
  }

  override scorePairs(users: Int32Array, items: Int32Array, out?: Float32Array): Float32Array {
    this.requireFitted('scorePairs');
    if (users.length !== items.length)
      throw shapeError(
        `${this.name}.scorePairs`,
        `users (${users.length}) and items (${items.length}) differ in length`,
      );
    const result = this.outputBuffer('scorePairs', users.length, out);
    const network = this.net as NcfNetwork;
    const [userBuffer, itemBuffer, capacity] = this.scoringBuffers();
    for (let start = 0; start < users.length; start += capacity) {
      const rows = Math.min(capacity, users.length - start);
      for (let t = 0; t < rows; t++) {
        this.checkUser('scorePairs', users[start + t]);
        this.checkItem('scorePairs', items[start + t]);
        userBuffer[t] = users[start + t];
        itemBuffer[t] = items[start + t];
      }
      network.forward(userBuffer, itemBuffer, rows, result, start);
    }
    return result;
  }

  save(): Uint8Array {
    this.requireFitted('save');
    const network = this.net as NcfNetwork;
    const arrays: Record<string, Float32Array> = {};
    for (const name of network.parameterNames) arrays[name] = network.parameters[name];
    return encodeModel({
      model: this.name,
      modelVersion: 1,
      hyperParameters: this.hyperParameters,
      state: { numUsers: this.numUsers, numItems: this.numItems },
      arrays,
    });
  }

  /**
   * Restores the network parameters saved by {@link save}: written into the live network when it has the saved
   * shape (every array read and checked first, then the optimiser moments zeroed), else into a new network of
   * this model's architecture.
   */
  protected restoreState(decoded: DecodedModel): void {
    const numUsers = requireStoredCount(decoded, 'numUsers');
    const numItems = requireStoredCount(decoded, 'numItems');
    const live = this.net;
    if (live === undefined || numUsers !== this.numUsers || numItems !== this.numItems) {
      NcfRecommender.withParameters(this, numUsers, numItems, (name, length) =>
        requireStoredArray(decoded, name, Float32Array, length),
      );
      return;
    }
    const restored = live.parameterNames.map(
      (name) => [name, requireStoredArray(decoded, name, Float32Array, live.parameters[name].length)] as const,
    );
    for (const [name, values] of restored) live.setParameter(name, values);
    live.resetOptimizer();
    this.fitted = true;
  }

  /**
   * Makes `model` a fitted model of `numUsers` × `numItems` (a new network replaces any it had) whose every
   * network parameter is `parameterOf(name, length)` (copied; `setParameter` checks the length).
   */
  protected static withParameters<M extends NcfRecommender<NcfCommonHyperParameters>>(
    model: M,
    numUsers: number,
    numItems: number,
    parameterOf: (name: string, length: number) => Float32Array,
  ): M {
    const network = model.createNetwork(numUsers, numItems);
    for (const name of network.parameterNames) {
      network.setParameter(name, parameterOf(name, network.parameters[name].length));
    }
    network.resetOptimizer();
    model.net = network;
    model.numUsers = numUsers;
    model.numItems = numItems;
    model.fitted = true;
    return model;
  }

  describe(): ModelDescription {
    return {
      name: this.name,
      displayName: this.displayName,
      hyperParameters: this.hyperParameters,
      reference: NCF_REFERENCE,
      backend: this.backend,
      fitted: this.fitted,
      numUsers: this.numUsers,
      numItems: this.numItems,
    };
  }
}
