import { type Rng, TrustRecError } from '@trustrec/core-linalg';
import { configError } from '../errors/not-fitted-error.js';
import { bprLogistic, bprSgdPairsSimd, drawUnseenItem, xoshiroBelow } from './bpr-sgd-kernel.js';
import { bprSimdModuleBytes } from './bpr-sgd-simd.js';
import { type WasmMemory, wasmApi } from '../wasm/wasm-module-builder.js';

/** What a Hogwild run shares with its workers (byte offsets into the shared memory). */
interface HogwildLayout {
  readonly kb: number;
  readonly itemsAt: number;
  readonly biasAt: number;
  readonly biasLength: number;
  readonly bitsAt: number;
  readonly bitsLength: number;
  readonly pairsAt: number;
  readonly pairsLength: number;
  readonly numItems: number;
  readonly negativeCandidates: number;
}

interface SliceRequest {
  readonly start: number;
  readonly end: number;
  readonly eta: number;
  readonly lambda: number;
  readonly words: number[];
}

interface SliceResult {
  readonly loss: number;
  readonly words: number[];
}

/** Minimal view of node:worker_threads' Worker used here. */
interface WorkerLike {
  postMessage(message: unknown): void;
  once(event: 'message', listener: (value: SliceResult) => void): void;
  once(event: 'error', listener: (error: Error) => void): void;
  off(event: 'message', listener: (value: SliceResult) => void): void;
  off(event: 'error', listener: (error: Error) => void): void;
  terminate(): Promise<number>;
}

/**
 * Hogwild-style (Niu, Recht, Ré & Wright 2011) parallel LearnBPR epochs: the user and item factors, item biases,
 * the interaction bitset and the epoch's (u, i) pairs live in one shared WebAssembly.Memory; each of `workers`
 * worker threads runs the fused SIMD kernel ({@link bprSgdPairsSimd}) on a contiguous slice of the epoch's pairs,
 * drawing its negatives from its own forked Rng stream, and writes the shared rows without locks.
 *
 * Determinism: the pairs (order) and every worker's negatives are fixed by the seed, but the interleaving of the
 * workers' reads and writes of shared rows is not, so results with workers > 1 are reproducible only up to race
 * order (the loss and the quality are statistically, not bitwise, the same run to run). workers = 1 never uses
 * this class and stays bit-exact per seed.
 */
export class BprHogwild {
  private constructor(
    private readonly memory: WasmMemory,
    private readonly layout: HogwildLayout,
    private readonly workers: WorkerLike[],
    private readonly streams: Int32Array[],
  ) {}

  /** Starts `workers` threads (Node's worker_threads; E_CONFIG elsewhere). */
  static async start(options: {
    readonly workers: number;
    readonly factors: number;
    readonly numUsers: number;
    readonly numItems: number;
    readonly hasBias: boolean;
    /** Uniform candidates per positive; the highest-scoring is the negative (see bprSgdPairs). */
    readonly negativeCandidates: number;
    readonly bits: Int32Array;
    readonly pairs: number;
    readonly rng: Rng;
  }): Promise<BprHogwild> {
    const { workers, factors: k } = options;
    if (k % 4 !== 0) {
      throw configError('bpr', 'workers', workers, `1 when factors (${k}) is not a multiple of 4 (the SIMD kernel)`);
    }
    let threads: typeof import('node:worker_threads');
    try {
      threads = await import('node:worker_threads');
    } catch {
      throw configError('bpr', 'workers', workers, '1 where node:worker_threads is unavailable (not Node.js)');
    }
    const align = (bytes: number): number => Math.ceil(bytes / 16) * 16;
    const kb = 4 * k;
    const itemsAt = align(options.numUsers * kb);
    const biasAt = align(itemsAt + options.numItems * kb);
    const biasLength = options.hasBias ? options.numItems : 0;
    const bitsAt = align(biasAt + 4 * biasLength);
    const pairsAt = align(bitsAt + 4 * options.bits.length);
    const total = pairsAt + 8 * options.pairs;
    const pages = Math.ceil(total / 65536);
    const api = wasmApi();
    if (api === undefined) throw configError('bpr', 'workers', workers, '1 where WebAssembly is unavailable');
    const memory = new api.Memory({ initial: pages, maximum: pages, shared: true });
    new Int32Array(memory.buffer, bitsAt, options.bits.length).set(options.bits);
    const layout: HogwildLayout = {
      kb,
      itemsAt,
      biasAt,
      biasLength,
      bitsAt,
      bitsLength: options.bits.length,
      pairsAt,
      pairsLength: 2 * options.pairs,
      numItems: options.numItems,
      negativeCandidates: options.negativeCandidates,
    };
    const module = new api.Module(bprSimdModuleBytes(true));
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      ${xoshiroBelow.toString()}
      ${drawUnseenItem.toString()}
      ${bprLogistic.toString()}
      const bprSgdPairsSimd = ${bprSgdPairsSimd.toString()};
      const { memory, module, layout } = workerData;
      const instance = new WebAssembly.Instance(module, { env: { memory } });
      const kernel = { margin: instance.exports.margin, update: instance.exports.update };
      const buffer = memory.buffer;
      const pairs = new Int32Array(buffer, layout.pairsAt, layout.pairsLength);
      const bits = new Int32Array(buffer, layout.bitsAt, layout.bitsLength);
      const bias = layout.biasLength > 0 ? new Float32Array(buffer, layout.biasAt, layout.biasLength) : undefined;
      parentPort.on('message', (request) => {
        const words = Int32Array.from(request.words);
        const loss = bprSgdPairsSimd(kernel, pairs, request.start, request.end, layout.kb, layout.itemsAt, bias,
          request.eta, request.lambda, layout.negativeCandidates, layout.numItems, bits, words);
        parentPort.postMessage({ loss, words: Array.from(words) });
      });
    `;
    const started: WorkerLike[] = [];
    const streams: Int32Array[] = [];
    for (let w = 0; w < workers; w++) {
      started.push(
        new threads.Worker(source, { eval: true, workerData: { memory, module, layout } }) as unknown as WorkerLike,
      );
      streams.push(Int32Array.from(options.rng.fork(`hogwild-worker:${w}`).getState().words));
    }
    return new BprHogwild(memory, layout, started, streams);
  }

  /** The shared epoch-pairs buffer (interleaved user, item), to be filled before {@link runEpoch}. */
  get pairs(): Int32Array {
    return new Int32Array(this.memory.buffer, this.layout.pairsAt, this.layout.pairsLength);
  }

  /** One epoch over the shared pairs: copies the tables in, runs the slices in parallel, copies them back. */
  async runEpoch(
    users: Float32Array,
    items: Float32Array,
    bias: Float32Array | undefined,
    eta: number,
    lambda: number,
  ): Promise<number> {
    const { layout, memory } = this;
    const buffer = memory.buffer;
    const userView = new Float32Array(buffer, 0, users.length);
    const itemView = new Float32Array(buffer, layout.itemsAt, items.length);
    const biasView = new Float32Array(buffer, layout.biasAt, layout.biasLength);
    userView.set(users);
    itemView.set(items);
    if (bias) biasView.set(bias);
    const samples = layout.pairsLength / 2;
    const count = this.workers.length;
    const results = await Promise.all(
      this.workers.map((worker, w) =>
        this.request(worker, w, {
          start: Math.floor((w * samples) / count),
          end: Math.floor(((w + 1) * samples) / count),
          eta,
          lambda,
          words: Array.from(this.streams[w]),
        }),
      ),
    );
    let loss = 0;
    results.forEach((result, w) => {
      loss += result.loss;
      this.streams[w].set(result.words);
    });
    users.set(userView);
    items.set(itemView);
    if (bias) bias.set(biasView);
    return loss;
  }

  /** Posts one slice to worker w and resolves with its result (listeners removed either way). */
  private request(worker: WorkerLike, w: number, request: SliceRequest): Promise<SliceResult> {
    return new Promise<SliceResult>((resolve, reject) => {
      const onMessage = (result: SliceResult): void => {
        worker.off('error', onError);
        resolve(result);
      };
      const onError = (error: Error): void => {
        worker.off('message', onMessage);
        reject(
          new TrustRecError({
            code: 'E_NUMERIC',
            message: `bpr: Hogwild worker ${w} failed: ${error.message}`,
            cause: error,
          }),
        );
      };
      worker.once('message', onMessage);
      worker.once('error', onError);
      worker.postMessage(request);
    });
  }

  /** Stops the worker threads. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
