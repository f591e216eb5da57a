import { TrustRecError } from '@trustrec/core-linalg';
import { type Split, leaveOneOutSplit, loadDataset, loadNcfSplit, ratioSplit, toImplicit } from '@trustrec/datasets';
import { type EvaluationResult, evaluateFullRanking, evaluateSampled } from '@trustrec/metrics';
import {
  type FitReport,
  type NeuMf,
  type Recommender,
  type TrainingCallback,
  type ValidationOptions,
  defaultModelRegistry,
  earlyStopping,
} from '@trustrec/models';
import type { Command } from 'commander';
import { writeFile } from 'node:fs/promises';
import { parseIntegerOption, parseNumberOption } from '../output/parse-options.js';
import { type OutputOptions, formatTable, printResult } from '../output/print-result.js';
import { createProgress } from '../output/progress.js';
import { writeFileAtomic } from '../experiments/result-cache.js';
import { renderTrainingReportHtml } from '../report/training-report.js';
import type { CommandModule } from './command-module.js';
import { loadNeuMfPretrainedParts, withPretrainedShape } from './neumf-pretrained.js';
import { type UserInterval, userInterval } from './user-interval.js';
import { validationHoldout } from './validation-holdout.js';

/** Models `trustrec train --model` accepts (the registry names). */
export const TRAIN_MODELS = ['bpr', 'mf', 'als', 'ials', 'neumf', 'gmf', 'mlp', 'itemknn', 'pop'] as const;
export const TRAIN_KS = [10, 50, 100] as const;
/** The seed of a run whose model has none (ItemKNN, MostPopular) or was given none: it also chooses random splits. */
export const DEFAULT_TRAIN_SEED = 42;
/** Resamples and seed of the bootstrap interval `train` reports for HR@10 and NDCG@10 (fixed: same model, same interval). */
export const TRAIN_INTERVAL_RESAMPLES = 2000;
export const TRAIN_INTERVAL_SEED = 0;

/** Published numbers printed beside ours, by dataset. */
export const PUBLISHED_REFERENCES: Readonly<
  Record<string, { source: string; protocol: 'sampled' | 'full'; hr10: number; ndcg10: number }>
> = {
  'ml-1m-ncf': {
    source: 'He et al., Neural Collaborative Filtering (WWW 2017): NeuMF with pre-training, 64 predictive factors',
    protocol: 'sampled',
    hr10: 0.73,
    ndcg10: 0.447,
  },
};

/** Raw flags of `train` (commander hands over strings). */
export interface TrainFlags {
  model: string;
  dataset: string;
  split?: string;
  protocol?: string;
  factors?: string;
  epochs?: string;
  lr?: string;
  reg?: string;
  seed?: string;
  save?: string;
  dataDir?: string;
  /** `name=value` pairs for any other hyper-parameter (`--param workers=2 --param negatives=4`). */
  param?: string[];
  /** Seed of a validation split carved from train, evaluated instead of the test set (for tuning). */
  validate?: string;
  /** NeuMF only: a saved GMF (or logistic MF) to start from instead of pre-training one. */
  pretrainedGmf?: string;
  /** NeuMF only: a saved MLP to start from instead of pre-training one. */
  pretrainedMlp?: string;
  /** Evaluate HR@10 / NDCG@10 on the evaluated interactions every n epochs (and after the last). */
  evalEvery?: string;
  /** Early stopping on validation NDCG@10 (needs `--validate`): evaluations without improvement before stopping. */
  patience?: string;
  /** Write an HTML report (tables, training curves) to this file. */
  report?: string;
}

/** One epoch (ALS: iteration) of `report.history`. */
export interface TrainEpoch {
  epoch: number;
  /** Mean training loss (null for models without one). */
  loss: number | null;
  /** Training seconds of the epoch (evaluation excluded). */
  seconds: number;
  /** Null for closed-form solvers. */
  learningRate: number | null;
  /** With `--eval-every`, at the epochs evaluated: on the interactions `evaluatedOn` names. */
  hr10?: number;
  ndcg10?: number;
}

export interface TrainReport {
  model: string;
  displayName: string;
  dataset: string;
  split: string;
  /** `validation` with `--validate`: metrics are on interactions held out of train, not on the test set. */
  evaluatedOn: 'test' | 'validation';
  protocol: 'full' | 'sampled';
  hyperParameters: Record<string, unknown>;
  backend: string;
  /** `test`: the interactions evaluated (the held-out validation interactions with `--validate`). */
  data: { users: number; items: number; train: number; test: number; synthetic: boolean };
  timings: {
    /** All of fit, pre-training included. */
    fitSeconds: number;
    /** The part of fitSeconds spent in pre-training stages (NeuMF with pretrainEpochs > 0). */
    pretrainSeconds?: number;
    epochs: number;
    secondsPerEpoch: number;
    samplesPerSecond: number;
    evaluateSeconds: number;
  };
  finalLoss: number | null;
  metrics: {
    hr: Record<number, number>;
    ndcg: Record<number, number>;
    auc: number;
    usersEvaluated: number;
    /**
     * 95 % percentile-bootstrap intervals of HR@10 and NDCG@10 over the evaluated users: how much the figure
     * would move on another sample of users of the same size. Training-seed variation is not in it (train
     * again with other `--seed`s for that). Null when no user was evaluated.
     */
    interval95: {
      resamples: number;
      seed: number;
      hr10: UserInterval;
      ndcg10: UserInterval;
    } | null;
  };
  reference: { source: string; protocol: string; hr10: number; ndcg10: number } | null;
  /** NeuMF started from saved parts (`--pretrained-gmf`, `--pretrained-mlp`); `gmfSource: 'mf'` = a converted logistic MF. */
  pretrained?: { gmf: string; gmfSource: 'gmf' | 'mf'; mlp: string };
  /** Every epoch run (NeuMF's pre-training stages not included), with HR@10 / NDCG@10 where `--eval-every` evaluated. */
  history: TrainEpoch[];
  /** `--eval-every` (and `--patience`, which implies every epoch when not given): how often, and the best epoch seen. */
  tracking: { every: number; best: { epoch: number; hr10: number; ndcg10: number } } | null;
  /**
   * `--patience`: training stopped after `patience` evaluations without a better validation NDCG@10, and the model
   * of the best epoch was restored, so `metrics` are that epoch's.
   */
  earlyStopping: { patience: number; bestEpoch: number; stoppedAfter: number; stoppedEarly: boolean } | null;
  saved: string | null;
  /** `--report`: the HTML report written (metrics, the training curves, every epoch). */
  htmlReport: string | null;
}

function configError(message: string, option: string, command = 'train'): TrustRecError {
  return new TrustRecError({ code: 'E_CONFIG', message: `trustrec ${command}: ${message}`, details: { option } });
}

/** Maps CLI flags onto the model's hyper-parameter names; a flag the model has no parameter for is E_CONFIG. */
export function hyperParametersFromFlags(model: string, flags: TrainFlags): Record<string, unknown> {
  const entry = defaultModelRegistry().get(model);
  const defaults = entry.defaults as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  const assign = (flag: string, names: readonly string[], value: number | undefined): void => {
    if (value === undefined) return;
    const name = names.find((candidate) => candidate in defaults);
    if (!name)
      throw configError(
        `model '${model}' has no hyper-parameter for --${flag} (it has: ${Object.keys(defaults).join(', ') || 'none'})`,
        flag,
      );
    result[name] = value;
  };
  assign(
    'factors',
    ['factors'],
    flags.factors === undefined ? undefined : parseIntegerOption('factors', flags.factors, 1),
  );
  assign(
    'epochs',
    ['epochs', 'iterations'],
    flags.epochs === undefined ? undefined : parseIntegerOption('epochs', flags.epochs, 0),
  );
  assign(
    'lr',
    ['learningRate'],
    flags.lr === undefined ? undefined : parseNumberOption('lr', flags.lr, { min: 0, exclusiveMin: true }),
  );
  assign(
    'reg',
    ['regularization'],
    flags.reg === undefined ? undefined : parseNumberOption('reg', flags.reg, { min: 0 }),
  );
  assign('seed', ['seed'], flags.seed === undefined ? undefined : parseIntegerOption('seed', flags.seed, 0));
  for (const pair of flags.param ?? []) {
    const [name, value] = parseParam(pair);
    if (!(name in defaults)) {
      throw configError(
        `--param ${pair}: model '${model}' has no hyper-parameter '${name}' (it has: ${Object.keys(defaults).join(', ') || 'none'})`,
        'param',
      );
    }
    if (name in result) throw configError(`--param ${pair}: '${name}' is already set by another flag`, 'param');
    result[name] = value;
  }
  return result;
}

/**
 * One `--param name=value`: numbers as numbers, `true` / `false` as booleans, comma-separated numbers as a list
 * (`layers=256,128,64`), anything else as a string; the model's hyper-parameter specs then check type and range
 * (E_CONFIG naming the parameter).
 */
function parseParam(pair: string): [string, number | boolean | string | number[]] {
  const match = /^([A-Za-z][A-Za-z0-9]*)=(.+)$/.exec(pair);
  if (!match) throw configError(`--param must look like name=value (e.g. workers=2), got "${pair}"`, 'param');
  const [, name, text] = match;
  if (text === 'true' || text === 'false') return [name, text === 'true'];
  if (text.includes(',')) {
    const parts = text.split(',').map((part) => (part.trim() === '' ? Number.NaN : Number(part)));
    if (parts.every(Number.isFinite)) return [name, parts];
  }
  const number = Number(text);
  return [name, text.trim() !== '' && Number.isFinite(number) ? number : text];
}

/** The flag's value if it is one of `choices`, else E_CONFIG naming the flag and the choices. */
export function parseChoice<T extends string>(flag: string, text: string, choices: readonly T[], command = 'train'): T {
  if (!(choices as readonly string[]).includes(text)) {
    throw configError(`--${flag} must be one of ${choices.join(', ')}, got "${text}"`, flag, command);
  }
  return text as T;
}

/** Loads the dataset and builds the split the flags ask for (same dataset, split, protocol and seed, same split). */
async function prepareSplit(
  flags: Pick<TrainFlags, 'dataset' | 'dataDir'>,
  feedback: 'implicit' | 'explicit',
  splitName: 'loo' | 'ratio',
  protocol: 'full' | 'sampled',
  seed: number,
  command = 'train',
): Promise<{ split: Split; synthetic: boolean; description: string }> {
  if (flags.dataset === 'ml-1m-ncf') {
    if (splitName !== 'loo')
      throw configError(
        'ml-1m-ncf is the published leave-latest-out split; use --split loo (the default)',
        'split',
        command,
      );
    const { dataset, split } = await loadNcfSplit({ dataDir: flags.dataDir });
    return {
      split,
      synthetic: dataset.synthetic,
      description: 'ml-1m-ncf published leave-latest-out split (99 published negatives)',
    };
  }
  let dataset = await loadDataset(flags.dataset, { dataDir: flags.dataDir });
  if (feedback === 'implicit' && !dataset.implicit) dataset = toImplicit(dataset);
  if (splitName === 'ratio') {
    if (protocol === 'sampled')
      throw configError(
        '--protocol sampled needs --split loo (one test item and 99 negatives per user)',
        'protocol',
        command,
      );
    return {
      split: ratioSplit(dataset, { seed, testRatio: 0.2 }),
      synthetic: dataset.synthetic,
      description: `random 80/20 ratio split, seed ${seed}`,
    };
  }
  const split = leaveOneOutSplit(dataset, {
    seed,
    order: 'random',
    candidates: protocol === 'sampled' ? { numNegatives: 99 } : undefined,
  });
  return { split, synthetic: dataset.synthetic, description: `random leave-one-out split, seed ${seed}` };
}

/**
 * The split a run trains on and is evaluated on: {@link prepareSplit}'s, or, with a validation seed (`--validate`),
 * the interactions held out of its train set (then nothing of the test set is used). `compare` rebuilds it from
 * the same flags to evaluate saved models on the interactions they were evaluated on.
 */
export async function prepareEvaluationSplit(
  flags: Pick<TrainFlags, 'dataset' | 'dataDir'>,
  feedback: 'implicit' | 'explicit',
  splitName: 'loo' | 'ratio',
  protocol: 'full' | 'sampled',
  seed: number,
  validationSeed: number | undefined,
  command = 'train',
): Promise<{ split: Split; synthetic: boolean; description: string; evaluatedOn: 'test' | 'validation' }> {
  const prepared = await prepareSplit(flags, feedback, splitName, protocol, seed, command);
  if (validationSeed === undefined) return { ...prepared, evaluatedOn: 'test' };
  const holdout = validationHoldout(prepared.split, protocol, validationSeed);
  return {
    split: holdout.split,
    synthetic: prepared.synthetic,
    description: `${prepared.description}; ${holdout.description}`,
    evaluatedOn: 'validation',
  };
}

/** Evaluates a fitted model on a split with the metrics package (HR, NDCG at 10/50/100, AUC). */
export async function evaluateModel(
  model: Recommender,
  split: Split,
  protocol: 'full' | 'sampled',
  ks: readonly number[] = TRAIN_KS,
): Promise<EvaluationResult> {
  if (protocol === 'sampled') {
    if (!split.candidates) throw configError('this split has no sampled candidates; use --protocol full', 'protocol');
    const candidates = split.candidates;
    const numCandidates = candidates.numCandidates;
    let pairUsers = new Int32Array(0);
    return evaluateSampled({
      candidates,
      // The evaluator passes one user per candidate row and numCandidates items per row, rows in order.
      score: (users, items, out) => {
        if (pairUsers.length !== items.length) pairUsers = new Int32Array(items.length);
        for (let row = 0; row < users.length; row++)
          pairUsers.fill(users[row], row * numCandidates, (row + 1) * numCandidates);
        model.scorePairs(pairUsers, items, out);
      },
      // The published ml-1m-ncf negatives repeat the test item for 156 users; the NCF reference evaluation
      // collapses such a repeat into the positive, and so do we.
      repeatedPositive: 'ignore',
      ks: [...ks],
    });
  }
  return evaluateFullRanking({
    numUsers: model.numUsers,
    numItems: model.numItems,
    score: (users, out) => {
      model.scoreUsers(users, out);
    },
    test: split.test,
    exclude: split.train,
    ks: [...ks],
  });
}

/** `trustrec train`: validates flags, loads data, trains with progress, evaluates, optionally saves. */
export async function runTrain(flags: TrainFlags & OutputOptions): Promise<TrainReport> {
  const modelName = parseChoice('model', flags.model, TRAIN_MODELS);
  const registry = defaultModelRegistry();
  const entry = registry.get(modelName);
  const splitName = parseChoice('split', flags.split ?? 'loo', ['loo', 'ratio'] as const);
  const protocol = parseChoice('protocol', flags.protocol ?? (flags.dataset === 'ml-1m-ncf' ? 'sampled' : 'full'), [
    'full',
    'sampled',
  ] as const);
  const pretrained = await loadNeuMfPretrainedParts(modelName, flags.pretrainedGmf, flags.pretrainedMlp);
  const flagged = hyperParametersFromFlags(modelName, flags);
  const hyperParameters = pretrained ? withPretrainedShape(flagged, pretrained) : flagged;
  const model = entry.create(hyperParameters);
  if (pretrained) (model as NeuMf).usePretrained(pretrained.gmf, pretrained.mlp);
  const seed = (hyperParameters.seed as number | undefined) ?? DEFAULT_TRAIN_SEED;
  const validationSeed = flags.validate === undefined ? undefined : parseIntegerOption('validate', flags.validate, 0);
  const { split, synthetic, description, evaluatedOn } = await prepareEvaluationSplit(
    flags,
    entry.feedback,
    splitName,
    protocol,
    seed,
    validationSeed,
  );
  const tracking = trackingOptions(flags, validationSeed !== undefined);
  const tracked = new Map<number, { hr10: number; ndcg10: number }>();
  let lastTracked: { hr10: number; ndcg10: number } | undefined;
  const validation: ValidationOptions | undefined = tracking && {
    name: 'ndcg@10',
    every: tracking.every,
    evaluate: async (trained) => {
      const result = await evaluateModel(trained, split, protocol, [10]);
      lastTracked = { hr10: result.mean.hr[10], ndcg10: result.mean.ndcg[10] };
      return lastTracked.ndcg10;
    },
  };
  const stopper = tracking?.patience === undefined ? undefined : earlyStopping({ patience: tracking.patience });
  const callbacks: TrainingCallback[] = stopper ? [stopper] : [];
  const totalEpochs = Number(
    (model.describe().hyperParameters as Record<string, unknown>).epochs ??
      (model.describe().hyperParameters as Record<string, unknown>).iterations ??
      1,
  );
  // Bars start on their first epoch, so NeuMF's pre-training stages (each with its own bar) come first.
  let progress: ReturnType<typeof createProgress> | undefined;
  const pretrainProgress = new Map<string, ReturnType<typeof createProgress>>();
  let report: FitReport;
  try {
    report = await model.fit(split.train, {
      validation,
      callbacks,
      onEpoch: (event) => {
        progress ??= createProgress(`train ${modelName}`, Math.max(1, totalEpochs), { json: flags.json });
        if (event.validation !== undefined && lastTracked) tracked.set(event.epoch, lastTracked);
        const loss = Number.isFinite(event.loss) ? `loss ${event.loss.toFixed(4)}` : '';
        const metric = lastTracked ? `NDCG@10 ${lastTracked.ndcg10.toFixed(4)} (${evaluatedOn})` : '';
        progress.update(event.epoch, [loss, metric].filter((part) => part !== '').join(' · '));
      },
      onPretrainEpoch: (event) => {
        const stage = event.model.name;
        let bar = pretrainProgress.get(stage);
        if (!bar) {
          bar = createProgress(`pretrain ${stage}`, event.totalEpochs, { json: flags.json });
          pretrainProgress.set(stage, bar);
        }
        bar.update(event.epoch, `loss ${event.loss.toFixed(4)}`);
        if (event.epoch === event.totalEpochs) {
          bar.finish();
          pretrainProgress.delete(stage);
        }
      },
    });
  } finally {
    progress?.finish();
    for (const bar of pretrainProgress.values()) bar.finish();
  }
  const evaluateStart = performance.now();
  const evaluation = await evaluateModel(model, split, protocol);
  const evaluateSeconds = (performance.now() - evaluateStart) / 1000;
  let saved: string | null = null;
  if (flags.save) {
    await writeFile(flags.save, model.save());
    saved = flags.save;
  }
  const described = model.describe();
  // Published figures are test-set figures: not printed beside validation metrics.
  const reference = evaluatedOn === 'validation' ? undefined : PUBLISHED_REFERENCES[flags.dataset];
  const result: TrainReport = {
    model: modelName,
    displayName: described.displayName,
    dataset: flags.dataset,
    split: description,
    evaluatedOn,
    protocol,
    hyperParameters: { ...described.hyperParameters },
    backend: report.backend,
    data: {
      users: split.train.numRows,
      items: split.train.numColumns,
      train: split.train.nnz,
      test: split.test.nnz,
      synthetic,
    },
    timings: {
      fitSeconds: report.seconds,
      ...(report.pretrainSeconds === undefined ? {} : { pretrainSeconds: report.pretrainSeconds }),
      epochs: report.epochs,
      secondsPerEpoch: report.secondsPerEpoch,
      samplesPerSecond: report.samplesPerSecond,
      evaluateSeconds,
    },
    finalLoss: Number.isFinite(report.finalLoss) ? report.finalLoss : null,
    metrics: {
      hr: Object.fromEntries(TRAIN_KS.map((k) => [k, evaluation.mean.hr[k]])),
      ndcg: Object.fromEntries(TRAIN_KS.map((k) => [k, evaluation.mean.ndcg[k]])),
      auc: evaluation.auc,
      usersEvaluated: evaluation.usersEvaluated,
      interval95: userBootstrapIntervals(evaluation),
    },
    reference: reference && reference.protocol === protocol ? { ...reference } : null,
    ...(pretrained
      ? { pretrained: { gmf: pretrained.files.gmf, gmfSource: pretrained.gmfSource, mlp: pretrained.files.mlp } }
      : {}),
    history: report.history.map((record) => ({
      epoch: record.epoch,
      loss: Number.isFinite(record.loss) ? record.loss : null,
      seconds: record.seconds,
      learningRate: Number.isFinite(record.learningRate) ? record.learningRate : null,
      ...tracked.get(record.epoch),
    })),
    tracking:
      tracking && report.bestValidation ? trackedBest(tracking.every, report.bestValidation.epoch, tracked) : null,
    earlyStopping:
      stopper && tracking?.patience !== undefined
        ? {
            patience: tracking.patience,
            bestEpoch: stopper.bestEpoch,
            stoppedAfter: report.epochs,
            stoppedEarly: report.stopReason === 'callback',
          }
        : null,
    saved,
    htmlReport: flags.report ?? null,
  };
  if (flags.report) writeFileAtomic(flags.report, await renderTrainingReportHtml(result));
  return result;
}

/**
 * `--eval-every` / `--patience`. Early stopping chooses the epoch on the interactions it evaluates, so it needs
 * the validation split: on the test set it would select on the figures it then reports.
 */
function trackingOptions(
  flags: TrainFlags,
  validating: boolean,
): { every: number; patience: number | undefined } | undefined {
  const every = flags.evalEvery === undefined ? undefined : parseIntegerOption('eval-every', flags.evalEvery, 1);
  const patience = flags.patience === undefined ? undefined : parseIntegerOption('patience', flags.patience, 1);
  if (patience !== undefined && !validating) {
    throw configError(
      '--patience stops on the evaluated interactions, which without --validate are the test set (choosing the epoch on the figures it reports); add --validate <seed>, then train on the full split with --epochs set to the best epoch',
      'patience',
    );
  }
  if (every === undefined && patience === undefined) return undefined;
  return { every: every ?? 1, patience };
}

function trackedBest(
  every: number,
  epoch: number,
  tracked: ReadonlyMap<number, { hr10: number; ndcg10: number }>,
): TrainReport['tracking'] {
  const best = tracked.get(epoch);
  return best ? { every, best: { epoch, ...best } } : null;
}

/** The report's `metrics.interval95`: percentile bootstrap over the evaluated users (metrics package). */
function userBootstrapIntervals(evaluation: EvaluationResult): TrainReport['metrics']['interval95'] {
  if (evaluation.usersEvaluated === 0) return null;
  return {
    resamples: TRAIN_INTERVAL_RESAMPLES,
    seed: TRAIN_INTERVAL_SEED,
    hr10: userInterval(evaluation.perUser.hr[10], TRAIN_INTERVAL_RESAMPLES, TRAIN_INTERVAL_SEED),
    ndcg10: userInterval(evaluation.perUser.ndcg[10], TRAIN_INTERVAL_RESAMPLES, TRAIN_INTERVAL_SEED),
  };
}

const formatRate = (value: number): string =>
  value >= 1e6 ? `${(value / 1e6).toFixed(2)} M` : value >= 1e3 ? `${(value / 1e3).toFixed(1)} k` : value.toFixed(0);

const format = (value: number): string => (Number.isFinite(value) ? value.toFixed(4) : 'n/a');

/** The metrics table of a train report (ours, the interval row, the published row) and the notes under it. */
export function trainMetricsTable(report: TrainReport): { header: string[]; rows: string[][]; notes: string[] } {
  const rows: string[][] = [
    [
      `${report.displayName} (ours)`,
      ...TRAIN_KS.flatMap((k) => [format(report.metrics.hr[k]), format(report.metrics.ndcg[k])]),
      format(report.metrics.auc),
    ],
  ];
  const interval = report.metrics.interval95;
  if (interval) {
    const range = (bounds: { lower: number; upper: number }) => `${format(bounds.lower)}–${format(bounds.upper)}`;
    rows.push(['95 % interval (users)', range(interval.hr10), range(interval.ndcg10), '', '', '', '', '']);
  }
  if (report.reference) {
    rows.push([
      'published (see below)',
      format(report.reference.hr10),
      format(report.reference.ndcg10),
      '',
      '',
      '',
      '',
      '',
    ]);
  }
  const notes = [
    ...(interval
      ? [
          `95 % interval: percentile bootstrap over the ${report.metrics.usersEvaluated} evaluated users (${interval.resamples} resamples); it does not include training-seed variation`,
        ]
      : []),
    ...(report.reference
      ? [
          `published reference: ${report.reference.source} (${report.reference.protocol} protocol)`,
          ...(interval ? [referenceAgainstInterval(report.reference, interval)] : []),
        ]
      : []),
  ];
  const header = ['model', ...TRAIN_KS.flatMap((k) => [`HR@${k}`, `NDCG@${k}`]), 'AUC'];
  return { header, rows, notes };
}

/**
 * What stands above the table: the title (model and dataset), the split and protocol, then data, hyper-parameters,
 * pre-trained parts, timings and tracking, a line each.
 */
export function trainSummary(report: TrainReport): { title: string; split: string; lines: string[] } {
  const hyper = Object.entries(report.hyperParameters)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(' ');
  const title = `${report.displayName} on ${report.dataset}${report.data.synthetic ? ' (SYNTHETIC)' : ''}`;
  const split = `${report.split}, ${report.protocol} ranking protocol`;
  const lines = [
    `${report.data.users} users × ${report.data.items} items, ${report.data.train} train / ${report.data.test} ${report.evaluatedOn} interactions`,
    `hyper-parameters: ${hyper}`,
    ...(report.pretrained
      ? [
          `started from pre-trained ${report.pretrained.gmfSource === 'mf' ? 'logistic MF (as GMF)' : 'GMF'} ${report.pretrained.gmf} and MLP ${report.pretrained.mlp}`,
        ]
      : []),
    `backend ${report.backend}; fit ${report.timings.fitSeconds.toFixed(2)} s${report.timings.pretrainSeconds === undefined ? '' : ` (pre-training ${report.timings.pretrainSeconds.toFixed(2)} s)`}, ${report.timings.epochs} epoch(s) at ${report.timings.secondsPerEpoch.toFixed(3)} s each (${formatRate(report.timings.samplesPerSecond)} samples/s; ALS counts rows solved); evaluation ${report.timings.evaluateSeconds.toFixed(2)} s`,
    ...trackingLines(report),
  ];
  return { title, split, lines };
}

export function renderTrain(report: TrainReport): string {
  const { header, rows, notes } = trainMetricsTable(report);
  const summary = trainSummary(report);
  return [
    `${summary.title}: ${summary.split}`,
    ...summary.lines,
    '',
    formatTable(header, rows),
    ...(notes.length > 0 ? ['', ...notes] : []),
    ...(report.saved ? ['', `saved to ${report.saved}`] : []),
    ...(report.htmlReport ? [`report written to ${report.htmlReport}`] : []),
  ].join('\n');
}

/** The `--eval-every` / `--patience` summary under the timings (the per-epoch figures are in `--json`'s history). */
function trackingLines(report: TrainReport): string[] {
  if (!report.tracking) return [];
  const { every, best } = report.tracking;
  const evaluated = report.history.filter((epoch) => epoch.ndcg10 !== undefined);
  const last = evaluated[evaluated.length - 1];
  const lines = [
    `NDCG@10 on the ${report.evaluatedOn} interactions every ${every} epoch(s): best ${format(best.ndcg10)} (HR@10 ${format(best.hr10)}) after epoch ${best.epoch}${last && last.epoch !== best.epoch ? `; ${format(last.ndcg10 ?? Number.NaN)} after the last evaluated, epoch ${last.epoch}` : ''}`,
  ];
  if (report.evaluatedOn === 'test' && !report.earlyStopping) {
    lines.push(
      '(tracked on the test set: for reading only; choose epochs on a validation split with --validate and --patience)',
    );
  }
  const stop = report.earlyStopping;
  if (stop) {
    lines.push(
      `early stopping (patience ${stop.patience}): ${stop.stoppedEarly ? `stopped after epoch ${stop.stoppedAfter}` : `ran all ${stop.stoppedAfter} epochs`}; the model of epoch ${stop.bestEpoch} is the one evaluated below${report.saved ? ' and saved' : ''}`,
    );
  }
  return lines;
}

/** Says where each published figure falls against our interval (inside: the difference is within user sampling). */
function referenceAgainstInterval(
  reference: NonNullable<TrainReport['reference']>,
  interval: NonNullable<TrainReport['metrics']['interval95']>,
): string {
  const place = (value: number, bounds: { lower: number; upper: number }) =>
    value < bounds.lower
      ? 'below our interval (ours is higher)'
      : value > bounds.upper
        ? 'above our interval (ours is lower)'
        : 'inside our interval';
  return `published HR@10 ${format(reference.hr10)}: ${place(reference.hr10, interval.hr10)}; NDCG@10 ${format(reference.ndcg10)}: ${place(reference.ndcg10, interval.ndcg10)}`;
}

export const trainCommand: CommandModule = {
  name: 'train',
  register(program: Command) {
    program
      .command('train')
      .description(
        'train a recommender on a dataset, evaluate it (HR, NDCG, AUC at 10/50/100; 95 % bootstrap intervals of HR@10 and NDCG@10 over users) and report timings',
      )
      .requiredOption('--model <name>', `model: ${TRAIN_MODELS.join(', ')}`)
      .requiredOption('--dataset <name>', 'dataset name (see `trustrec datasets list`), e.g. ml-1m-ncf, ml-100k')
      .option('--split <kind>', 'loo (leave-one-out) or ratio (80/20)', 'loo')
      .option(
        '--protocol <kind>',
        'full ranking or sampled (1 positive + 99 negatives); default sampled for ml-1m-ncf, else full',
      )
      .option('--factors <n>', 'latent factors')
      .option('--epochs <n>', 'epochs (ALS: iterations)')
      .option('--lr <x>', 'learning rate')
      .option('--reg <x>', 'L2 regularisation')
      .option('--seed <n>', 'seed (initialisation, sampling and the split)')
      .option(
        '--param <name=value>',
        'any other hyper-parameter (repeatable), e.g. --param workers=2, --param layers=256,128,64 (see `trustrec describe <model>`)',
        (value: string, previous: string[] = []) => [...previous, value],
      )
      .option(
        '--validate <seed>',
        'tune without the test set: hold one random training interaction per user out (seeded), train on the rest, evaluate on those',
      )
      .option(
        '--pretrained-gmf <path>',
        'neumf: start from this saved gmf, or saved logistic mf (as a GMF with its factors + 2), instead of pre-training; factors default to its own',
      )
      .option(
        '--pretrained-mlp <path>',
        'neumf: start from this saved mlp instead of pre-training (layers default to its own); both parts must be trained on the same split (with the same --validate)',
      )
      .option(
        '--eval-every <n>',
        'evaluate HR@10 and NDCG@10 every n epochs (and after the last) on the evaluated interactions: progress, --json history',
      )
      .option(
        '--patience <n>',
        'with --validate: stop after n evaluations without a better NDCG@10 and keep the best epoch (evaluates every epoch unless --eval-every)',
      )
      .option('--save <path>', 'write the trained model (TrustRec model format) to this file')
      .option(
        '--report <file.html>',
        'write an HTML report: the metrics, the training curves (loss; HR@10 and NDCG@10 with --eval-every) and every epoch',
      )
      .option('--data-dir <path>', 'dataset folder (default: the TRUSTREC_DATA_DIR environment variable)')
      .option('--json', 'print the result as JSON')
      .action(async (options: TrainFlags & OutputOptions) => {
        printResult(await runTrain(options), options, renderTrain);
      });
  },
};
