import type { CompareReport } from '../commands/compare-command.js';
import type { TrainReport } from '../commands/train-command.js';

// Hand-built reports for the report renderers' tests (numbers chosen to be checked by hand, not real runs).

/** A `train` report: 3 epochs, metrics evaluated at epochs 2 and 3, early stopping that kept epoch 2. */
export const TRAIN_REPORT_FIXTURE: TrainReport = {
  model: 'bpr',
  displayName: 'MF-BPR',
  dataset: 'ml-100k',
  split: 'random leave-one-out split, seed 42',
  evaluatedOn: 'validation',
  protocol: 'full',
  hyperParameters: { factors: 8 },
  backend: 'typed-array',
  data: { users: 3, items: 5, train: 9, test: 3, synthetic: false },
  timings: { fitSeconds: 1, epochs: 3, secondsPerEpoch: 0.3, samplesPerSecond: 30, evaluateSeconds: 0.1 },
  finalLoss: 0.3,
  metrics: {
    hr: { 10: 0.5, 50: 1, 100: 1 },
    ndcg: { 10: 0.25, 50: 0.3, 100: 0.3 },
    auc: 0.8,
    usersEvaluated: 3,
    interval95: null,
  },
  reference: null,
  history: [
    { epoch: 1, loss: 0.6, seconds: 0.3, learningRate: 0.1 },
    { epoch: 2, loss: 0.4, seconds: 0.3, learningRate: 0.05, hr10: 0.5, ndcg10: 0.25 },
    { epoch: 3, loss: 0.3, seconds: 0.3, learningRate: 0.01, hr10: 0.4, ndcg10: 0.2 },
  ],
  tracking: { every: 2, best: { epoch: 2, hr10: 0.5, ndcg10: 0.25 } },
  earlyStopping: { patience: 1, bestEpoch: 2, stoppedAfter: 3, stoppedEarly: true },
  saved: null,
  htmlReport: 'r.html',
};

const interval = (lower: number, upper: number) => ({ lower, upper, standardError: (upper - lower) / 3.92 });
const model = (file: string, hr: number, ndcg: number) => ({
  file,
  model: 'bpr',
  displayName: 'MF-BPR',
  seed: 42,
  hr,
  ndcg,
  auc: 0.9,
  hrInterval: interval(hr - 0.02, hr + 0.02),
  ndcgInterval: interval(ndcg - 0.01, ndcg + 0.01),
});
/** A `compare` report of two models and their pair; a file name with characters HTML must escape. */
export const COMPARE_REPORT_FIXTURE: CompareReport = {
  dataset: 'ml-100k',
  split: 'random leave-one-out split, seed 42',
  evaluatedOn: 'test',
  protocol: 'full',
  k: 10,
  resamples: 2000,
  usersEvaluated: 943,
  models: [model('a.trm', 0.25, 0.14), model('b<1>.trm', 0.15, 0.07)],
  pairs: [
    {
      a: 'a.trm',
      b: 'b<1>.trm',
      hr: { difference: 0.1, interval: interval(0.07, 0.13), onlyA: 133, onlyB: 39, mcNemarP: 1e-6 },
      ndcg: { difference: 0.07, interval: interval(0.05, 0.09), tTestP: 1e-5, wilcoxonP: 2e-5 },
    },
  ],
  htmlReport: 'r.html',
};
