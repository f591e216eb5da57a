import { cpus, loadavg } from 'node:os';
import {
  CsrMatrix,
  type DenseMatrix,
  type LinalgBackend,
  TopKSelector,
  createDenseMatrix,
  createLinalgBackend,
  createRng,
  gemm,
} from '@trustrec/core-linalg';
import { evaluateFullRanking, evaluateSampled } from '@trustrec/metrics';
import { printFigure } from './timing.js';

const USERS = 6040;
const ITEMS = 3706;
const FACTORS = 64;
const TRAIN_PER_USER = 165; // ≈ 1M training interactions, MovieLens-1M scale
const KS = [10, 50, 100];

/**
 * Runs `work` once to warm up, then `repeats` times; returns the median wall time and the median CPU time of
 * this process (user + system). On a shared machine the CPU time is the better estimate of one idle core.
 */
async function medianTimes(
  work: () => unknown | Promise<unknown>,
  repeats = 5,
): Promise<{ wallMs: number; cpuMs: number }> {
  await work();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const startCpu = process.cpuUsage();
    const start = performance.now();
    await work();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(startCpu);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return { wallMs: median(wall), cpuMs: median(cpu) };
}

function formatTimes(times: { wallMs: number; cpuMs: number }): string {
  return `${times.wallMs.toFixed(1)} ms wall, ${times.cpuMs.toFixed(1)} ms CPU`;
}

/** A MovieLens-1M-shaped problem: random 64-factor models, ≈1M random training entries, one test item per user. */
export function buildMetricsBenchmarkProblem(seed = 1): {
  userFactors: DenseMatrix;
  itemFactors: DenseMatrix;
  train: CsrMatrix;
  test: CsrMatrix;
} {
  const rng = createRng(seed);
  const factorRng = rng.fork('factors');
  const userFactors = createDenseMatrix(USERS, FACTORS);
  const itemFactors = createDenseMatrix(ITEMS, FACTORS);
  for (let i = 0; i < userFactors.data.length; i++) userFactors.data[i] = factorRng.normal(0, 0.3);
  for (let i = 0; i < itemFactors.data.length; i++) itemFactors.data[i] = factorRng.normal(0, 0.3);
  const dataRng = rng.fork('interactions');
  const rows = new Int32Array(USERS * TRAIN_PER_USER);
  const columns = new Int32Array(USERS * TRAIN_PER_USER);
  for (let u = 0, p = 0; u < USERS; u++) {
    for (let t = 0; t < TRAIN_PER_USER; t++, p++) {
      rows[p] = u;
      columns[p] = dataRng.nextInt(ITEMS);
    }
  }
  const train = CsrMatrix.fromCoo({ rows, columns }, { numRows: USERS, numColumns: ITEMS, duplicates: 'keep-first' });
  const testRows = new Int32Array(USERS);
  const testColumns = new Int32Array(USERS);
  for (let u = 0; u < USERS; u++) {
    let item = dataRng.nextInt(ITEMS);
    while (train.has(u, item)) item = dataRng.nextInt(ITEMS);
    testRows[u] = u;
    testColumns[u] = item;
  }
  const test = CsrMatrix.fromCoo(
    { rows: testRows, columns: testColumns },
    { numRows: USERS, numColumns: ITEMS, duplicates: 'error' },
  );
  return { userFactors, itemFactors, train, test };
}

/** A scoring callback U·Vᵀ for a batch of users: gathers their factor rows, then one gemm into the evaluator's buffer. */
function gemmScorer(userFactors: DenseMatrix, itemFactors: DenseMatrix, maxBatch: number) {
  const k = userFactors.columns;
  const gathered = new Float32Array(maxBatch * k);
  return (users: Int32Array, out: Float32Array) => {
    for (let t = 0; t < users.length; t++)
      gathered.set(userFactors.data.subarray(users[t] * k, (users[t] + 1) * k), t * k);
    const a = createDenseMatrix(users.length, k, gathered.subarray(0, users.length * k));
    gemm(a, itemFactors, { transposeB: true, out: createDenseMatrix(users.length, itemFactors.rows, out) });
  };
}

/** The same scorer on a {@link LinalgBackend} (e.g. tfjs-wasm, whose SIMD matMul is ~10× the typed gemm here). */
function backendScorer(backend: LinalgBackend, userFactors: DenseMatrix, itemFactors: DenseMatrix, maxBatch: number) {
  const k = userFactors.columns;
  const gathered = new Float32Array(maxBatch * k);
  return async (users: Int32Array, out: Float32Array) => {
    for (let t = 0; t < users.length; t++)
      gathered.set(userFactors.data.subarray(users[t] * k, (users[t] + 1) * k), t * k);
    const a = createDenseMatrix(users.length, k, gathered.subarray(0, users.length * k));
    out.set((await backend.matmul(a, itemFactors, { transposeB: true })).data);
  };
}

/**
 * `pnpm bench metrics`: full-ranking HR/NDCG/AUC@{10,50,100} at MovieLens-1M scale (6,040 users × 3,706 items,
 * 64 factors, ≈1M training items excluded, one test item per user) on one thread: scoring (gemm) plus metrics,
 * and the metrics alone; the sampled protocol (1 + 100 candidates).
 */
export async function benchmarkMetrics(): Promise<void> {
  process.stdout.write('# metrics evaluator, MovieLens-1M scale (median of 5 after a warm-up, one thread)\n');
  process.stdout.write(
    `# load average ${loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')} on ${cpus().length} cores\n`,
  );
  const { userFactors, itemFactors, train, test } = buildMetricsBenchmarkProblem();
  printFigure('problem', `${USERS} users × ${ITEMS} items, ${FACTORS} factors, ${train.nnz} train, ${test.nnz} test`);
  const batchSize = 1024;
  const scoreWithGemm = gemmScorer(userFactors, itemFactors, batchSize);
  let last: Awaited<ReturnType<typeof evaluateFullRanking>> | undefined;
  const total = await medianTimes(async () => {
    last = await evaluateFullRanking({
      numUsers: USERS,
      numItems: ITEMS,
      score: scoreWithGemm,
      test,
      exclude: train,
      ks: KS,
      batchSize,
    });
  });
  printFigure('full ranking: gemm scoring + HR/NDCG/.../AUC@{10,50,100}', formatTimes(total));

  const { backend } = await createLinalgBackend('wasm', { scope: 'metrics' });
  const scoreWithWasm = backendScorer(backend, userFactors, itemFactors, batchSize);
  const totalWasm = await medianTimes(() =>
    evaluateFullRanking({
      numUsers: USERS,
      numItems: ITEMS,
      score: scoreWithWasm,
      test,
      exclude: train,
      ks: KS,
      batchSize,
    }),
  );
  printFigure(`full ranking: ${backend.name} scoring + HR/NDCG/.../AUC@{10,50,100}`, formatTimes(totalWasm));

  const allScores = gemm(userFactors, itemFactors, { transposeB: true }).data;
  const copyScores = (users: Int32Array, out: Float32Array) => {
    // Users arrive in ascending runs here, so each batch is one contiguous copy.
    out.set(allScores.subarray(users[0] * ITEMS, (users[0] + users.length) * ITEMS));
  };
  const metricsOnly = await medianTimes(() =>
    evaluateFullRanking({
      numUsers: USERS,
      numItems: ITEMS,
      score: copyScores,
      test,
      exclude: train,
      ks: KS,
      batchSize,
    }),
  );
  printFigure('full ranking: metrics only (precomputed scores)', formatTimes(metricsOnly));
  // A ratio split instead of leave-one-out: every 5th training entry becomes a test positive (≈195k positives).
  const heldRows: number[] = [];
  const heldColumns: number[] = [];
  const keptRows: number[] = [];
  const keptColumns: number[] = [];
  for (let u = 0; u < USERS; u++) {
    for (let p = train.indptr[u]; p < train.indptr[u + 1]; p++) {
      const target = (p - train.indptr[u]) % 5 === 0 ? heldRows : keptRows;
      target.push(u);
      (target === heldRows ? heldColumns : keptColumns).push(train.indices[p]);
    }
  }
  const shape = { numRows: USERS, numColumns: ITEMS, duplicates: 'error' as const };
  const ratioTest = CsrMatrix.fromCoo(
    { rows: Int32Array.from(heldRows), columns: Int32Array.from(heldColumns) },
    shape,
  );
  const ratioTrain = CsrMatrix.fromCoo(
    { rows: Int32Array.from(keptRows), columns: Int32Array.from(keptColumns) },
    shape,
  );
  const ratioMetrics = await medianTimes(() =>
    evaluateFullRanking({
      numUsers: USERS,
      numItems: ITEMS,
      score: copyScores,
      test: ratioTest,
      exclude: ratioTrain,
      ks: KS,
      batchSize,
    }),
  );
  printFigure(`full ranking, 80/20 split (${ratioTest.nnz} positives): metrics only`, formatTimes(ratioMetrics));
  const gemmOnly = await medianTimes(() => {
    const out = new Float32Array(batchSize * ITEMS);
    const users = Int32Array.from({ length: USERS }, (_, u) => u);
    for (let start = 0; start < USERS; start += batchSize) {
      const end = Math.min(USERS, start + batchSize);
      scoreWithGemm(users.subarray(start, end), out.subarray(0, (end - start) * ITEMS));
    }
  });
  printFigure('scoring alone: gemm in batches of 1024 users', formatTimes(gemmOnly));

  // For comparison: what a top-100 heap (TopKSelector) per user costs on the same scores, without any metric.
  const selector = new TopKSelector(ITEMS);
  const topOut = { indices: new Int32Array(100), scores: new Float32Array(100) };
  const heap = await medianTimes(() => {
    for (let u = 0; u < USERS; u++)
      selector.select(allScores.subarray(u * ITEMS, (u + 1) * ITEMS), 100, train.row(u).indices, topOut);
  });
  printFigure('reference: TopKSelector top-100 with exclusions, all users', formatTimes(heap));
  if (last) {
    printFigure(
      'result (random model)',
      `HR@10 ${last.mean.hr[10].toFixed(4)}  NDCG@10 ${last.mean.ndcg[10].toFixed(4)}  AUC ${last.auc.toFixed(4)}`,
    );
  }

  // Sampled protocol: 1 positive + 100 negatives per user.
  const numCandidates = 101;
  const rng = createRng(2);
  const users = Int32Array.from({ length: USERS }, (_, u) => u);
  const items = new Int32Array(USERS * numCandidates);
  for (let u = 0; u < USERS; u++) {
    items[u * numCandidates] = test.indices[test.indptr[u]];
    for (let c = 1; c < numCandidates; c++) {
      let item = rng.nextInt(ITEMS);
      while (item === items[u * numCandidates] || train.has(u, item)) item = rng.nextInt(ITEMS);
      items[u * numCandidates + c] = item;
    }
  }
  const sampled = await medianTimes(() =>
    evaluateSampled({
      candidates: { users, items, numCandidates },
      ks: KS,
      score: (batchUsers, batchItems, out) => {
        for (let t = 0; t < batchUsers.length; t++) {
          const userBase = batchUsers[t] * FACTORS;
          for (let c = 0; c < numCandidates; c++) {
            const itemBase = batchItems[t * numCandidates + c] * FACTORS;
            let sum = 0;
            for (let f = 0; f < FACTORS; f++) sum += userFactors.data[userBase + f] * itemFactors.data[itemBase + f];
            out[t * numCandidates + c] = sum;
          }
        }
      },
    }),
  );
  printFigure('sampled (1 + 100 candidates): scoring + metrics', formatTimes(sampled));
}
