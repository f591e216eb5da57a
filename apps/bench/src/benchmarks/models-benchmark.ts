import { loadavg } from 'node:os';
import { type Split, leaveOneOutSplit, loadDataset, loadNcfSplit } from '@trustrec/datasets';
import { type EvaluationResult, evaluateFullRanking } from '@trustrec/metrics';
import {
  BPR_DEFAULTS,
  type FitReport,
  ImplicitAls,
  ItemKnn,
  LOGISTIC_MF_DEFAULTS,
  MatrixFactorizationBpr,
  MatrixFactorizationLogistic,
  MostPopular,
  type Recommender,
} from '@trustrec/models';
import { evaluateModel } from '../commands/train-command.js';
import { benchEnvironmentInteger } from './bench-arguments.js';
import { printFigure } from './timing.js';

/** MF-BPR as benchmarked: the package defaults (tuned on ml-1m-ncf; `TRUSTREC_BENCH_EPOCHS` caps epochs for a quick run). */
export const BENCH_BPR = { ...BPR_DEFAULTS, seed: 42 } as const;

/**
 * MF-BPR with dynamic negative sampling as benchmarked: 8 candidates, η 0.05 → 0.0025, λ 0.02 — the best of the
 * DNS settings on a validation split of ml-1m-ncf's training set (apps/bench/experiments/results/models-ml1m-ncf.md).
 */
export const BENCH_BPR_DNS = { ...BENCH_BPR, negativeCandidates: 8, learningRate: 0.05, regularization: 0.02 } as const;

function epochCap(epochs: number): number {
  const cap = benchEnvironmentInteger('TRUSTREC_BENCH_EPOCHS', undefined, 1);
  return cap === undefined ? epochs : Math.min(cap, epochs);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function sampled(model: Recommender, split: Split): Promise<EvaluationResult> {
  return evaluateModel(model, split, 'sampled', [10]);
}

async function full(model: Recommender, split: Split): Promise<EvaluationResult> {
  return evaluateFullRanking({
    numUsers: model.numUsers,
    numItems: model.numItems,
    score: (users, out) => void model.scoreUsers(users, out),
    test: split.test,
    exclude: split.train,
    ks: [10],
  });
}

/**
 * Fits while recording the process CPU seconds of each epoch (all threads; wall time is inflated when the machine
 * is shared). The 1-minute load average is printed with each figure.
 */
async function fitMeasured(model: Recommender, train: Split['train']): Promise<{ report: FitReport; cpu: number[] }> {
  const cpu: number[] = [];
  let last = process.cpuUsage();
  const report = await model.fit(train, {
    onEpoch: () => {
      const now = process.cpuUsage();
      cpu.push((now.user + now.system - last.user - last.system) / 1e6);
      last = process.cpuUsage();
    },
  });
  return { report, cpu };
}

function printTiming(label: string, { report, cpu }: { report: FitReport; cpu: number[] }, unit: string): void {
  const seconds = report.history.map((record) => record.seconds);
  printFigure(
    `${label}: s/${unit} wall (median of ${seconds.length}, min)`,
    `${median(seconds).toFixed(3)} s, ${Math.min(...seconds).toFixed(3)} s`,
  );
  printFigure(
    `${label}: s/${unit} CPU (median, min)`,
    `${median(cpu).toFixed(3)} s, ${Math.min(...cpu).toFixed(3)} s  (load average ${loadavg()[0].toFixed(2)})`,
  );
  if (unit === 'epoch') {
    printFigure(
      `${label}: samples/s (median wall epoch; median CPU epoch)`,
      `${(report.history[0].samples / median(seconds) / 1e6).toFixed(2)} M/s; ${(report.history[0].samples / median(cpu) / 1e6).toFixed(2)} M/s`,
    );
  }
}

function printQuality(
  label: string,
  result: EvaluationResult,
  target?: { hr: number; ndcg: number; source: string },
): void {
  const ours = `HR@10 ${result.mean.hr[10].toFixed(4)}  NDCG@10 ${result.mean.ndcg[10].toFixed(4)}`;
  printFigure(
    label,
    target ? `${ours}  (${target.source}: ${target.hr.toFixed(3)} / ${target.ndcg.toFixed(3)})` : ours,
  );
}

/** `pnpm bench models`: epoch/iteration times, samples/s and the quality reached on ML-1M. */
export async function benchmarkModels(): Promise<void> {
  process.stdout.write('\n@trustrec/models — ML-1M, one thread unless noted (figures are noisy on a shared machine)\n');
  const { split: ncf } = await loadNcfSplit();
  printFigure('ml-1m-ncf train interactions', String(ncf.train.nnz));

  // MF-BPR on the published split, sampled protocol (1 + 99 published negatives).
  const bpr = new MatrixFactorizationBpr({ ...BENCH_BPR, epochs: epochCap(BENCH_BPR.epochs) });
  const bprRun = await fitMeasured(bpr, ncf.train);
  printTiming('MF-BPR fused SGD, 64 factors', bprRun, 'epoch');
  printQuality(`MF-BPR ml-1m-ncf sampled, ${bprRun.report.epochs} epochs`, await sampled(bpr, ncf), {
    hr: 0.73,
    ndcg: 0.447,
    source: 'NCF paper NeuMF',
  });
  // The same model and loss, each step on the highest-scoring of 8 uniform candidates (DNS).
  const bprDns = new MatrixFactorizationBpr({ ...BENCH_BPR_DNS, epochs: epochCap(BENCH_BPR_DNS.epochs) });
  const bprDnsRun = await fitMeasured(bprDns, ncf.train);
  printTiming('MF-BPR DNS (8 candidates) fused SGD, 64 factors', bprDnsRun, 'epoch');
  printQuality(`MF-BPR DNS ml-1m-ncf sampled, ${bprDnsRun.report.epochs} epochs`, await sampled(bprDns, ncf), {
    hr: 0.73,
    ndcg: 0.447,
    source: 'NCF paper NeuMF',
  });
  const bprDnsHogwild = new MatrixFactorizationBpr({
    ...BENCH_BPR_DNS,
    epochs: epochCap(BENCH_BPR_DNS.epochs),
    workers: 2,
  });
  printTiming('MF-BPR DNS Hogwild, 2 workers', await fitMeasured(bprDnsHogwild, ncf.train), 'epoch');
  printQuality('MF-BPR DNS (2 workers) ml-1m-ncf sampled', await sampled(bprDnsHogwild, ncf), {
    hr: 0.73,
    ndcg: 0.447,
    source: 'NCF paper NeuMF',
  });
  // Dot-product MF with the pointwise logistic loss (Rendle et al. 2020): package defaults, 64 factors.
  const logistic = new MatrixFactorizationLogistic({ seed: 42, epochs: epochCap(LOGISTIC_MF_DEFAULTS.epochs) });
  const logisticRun = await fitMeasured(logistic, ncf.train);
  printTiming('MF (logistic, 8 negatives) fused SGD, 64 factors', logisticRun, 'epoch');
  printQuality(`MF (logistic) ml-1m-ncf sampled, ${logisticRun.report.epochs} epochs`, await sampled(logistic, ncf), {
    hr: 0.73,
    ndcg: 0.447,
    source: 'NCF paper NeuMF',
  });
  const popularity = new MostPopular();
  await popularity.fit(ncf.train);
  printQuality('MostPopular ml-1m-ncf sampled', await sampled(popularity, ncf));

  // Random leave-one-out of ML-1M (seed 42): sampled 1 + 99 for BPR, full ranking for ALS.
  const ml1m = await loadDataset('ml-1m');
  const loo = leaveOneOutSplit(ml1m, { seed: 42, order: 'random', candidates: { numNegatives: 99 } });
  const bprLoo = new MatrixFactorizationBpr({ ...BENCH_BPR, epochs: epochCap(BENCH_BPR.epochs) });
  printTiming('MF-BPR fused SGD on ml-1m random LOO, 1 thread', await fitMeasured(bprLoo, loo.train), 'epoch');
  printQuality('MF-BPR ml-1m random LOO sampled', await sampled(bprLoo, loo), {
    hr: 0.816,
    ndcg: 0.551,
    source: 'PyTorch MF-BPR here',
  });
  // Hogwild: 2 worker threads over shared memory (CPU seconds add up both threads; wall is the parallel figure).
  const bprHogwild = new MatrixFactorizationBpr({ ...BENCH_BPR, epochs: epochCap(BENCH_BPR.epochs), workers: 2 });
  printTiming('MF-BPR Hogwild, 2 workers', await fitMeasured(bprHogwild, loo.train), 'epoch');
  printQuality('MF-BPR (2 workers) ml-1m random LOO sampled', await sampled(bprHogwild, loo), {
    hr: 0.816,
    ndcg: 0.551,
    source: 'PyTorch MF-BPR here',
  });

  const ials = new ImplicitAls({ factors: 64, iterations: epochCap(15), regularization: 0.01, alpha: 1, solver: 'cg' });
  printTiming('implicit ALS CG (3 steps), 64 factors', await fitMeasured(ials, loo.train), 'iteration');
  printQuality('implicit ALS CG ml-1m random LOO full ranking', await full(ials, loo), {
    hr: 0.104,
    ndcg: 0.051,
    source: 'implicit untuned ALS',
  });
  const ialsPlain = new ImplicitAls({
    factors: 64,
    iterations: epochCap(15),
    regularization: 0.01,
    alpha: 0,
    solver: 'cg',
  });
  printTiming(
    'implicit ALS CG, α = 0 (every confidence 1, as implicit alpha=1)',
    await fitMeasured(ialsPlain, loo.train),
    'iteration',
  );
  const cholesky = new ImplicitAls({
    factors: 64,
    iterations: epochCap(15),
    regularization: 0.01,
    alpha: 1,
    solver: 'cholesky',
  });
  printTiming('implicit ALS Cholesky, 64 factors', await fitMeasured(cholesky, loo.train), 'iteration');
  printQuality('implicit ALS Cholesky ml-1m random LOO full ranking', await full(cholesky, loo), {
    hr: 0.102,
    ndcg: 0.0511,
    source: 'implicit untuned ALS, Cholesky',
  });

  const knn = new ItemKnn({ neighbours: 100 });
  const knnReport = await knn.fit(loo.train);
  printFigure('ItemKNN (cosine, 100 neighbours): fit', `${knnReport.seconds.toFixed(2)} s`);
  printQuality('ItemKNN ml-1m random LOO full ranking', await full(knn, loo));
  const popularityLoo = new MostPopular();
  await popularityLoo.fit(loo.train);
  printQuality('MostPopular ml-1m random LOO full ranking', await full(popularityLoo, loo));
}
