import { TrustRecError } from '@trustrec/core-linalg';
import { stableHash } from './canonical-hash.js';
import { type AttackSpec, type ExperimentConfig, type ModelSpec, modelDependency } from './experiment-config.js';
import { type DataSummary, type EngineEvaluation, type ExperimentEngine, metricKey } from './experiment-engine.js';
import {
  CELL_CACHE_VERSION,
  type EvaluationCellRecord,
  ResultCache,
  type TrainCellRecord,
  encodeFloat32,
  encodeInt32,
} from './result-cache.js';

/** The hash of the whole configuration minus where it is written: names the experiment in results.json. */
export function experimentConfigHash(config: ExperimentConfig): string {
  const { out: _out, description: _description, report: _report, ...rest } = config;
  return stableHash({ version: CELL_CACHE_VERSION, ...rest, dataset: { name: config.dataset.name } });
}

/** The seed the split of run `seed` uses. */
export function splitSeedFor(config: ExperimentConfig, seed: number): number {
  return config.split.seed === 'per-seed' ? seed : config.split.seed;
}

/** Keys of (model, seed) training cells: dataset, split, the model's kind and parameters, the seed, the key of the model it starts from (teacher or pretrained). */
export function trainCellKey(config: ExperimentConfig, model: ModelSpec, seed: number, teacherKey?: string): string {
  return stableHash({
    version: CELL_CACHE_VERSION,
    type: 'train',
    dataset: config.dataset.name,
    split: { method: config.split.method, seed: splitSeedFor(config, seed) },
    model: {
      kind: model.kind,
      params: model.params,
      dependsOn: model.teacher ? 'teacher' : model.pretrained ? 'pretrained' : null,
    },
    seed,
    teacher: teacherKey ?? null,
  });
}

/** Keys of evaluation cells: the trained model's key, the attack (kind, target, parameters) and ε, the metrics. */
export function evaluationCellKey(
  config: ExperimentConfig,
  trainKey: string,
  attack: AttackSpec | null,
  epsilon: number | null,
): string {
  return stableHash({
    version: CELL_CACHE_VERSION,
    type: 'evaluation',
    trainKey,
    attack: attack ? { kind: attack.kind, target: attack.target, params: attack.params } : null,
    epsilon,
    metrics: config.metrics,
  });
}

/** One planned evaluation cell. */
export interface PlannedEvaluation {
  readonly key: string;
  readonly attack: AttackSpec | null;
  readonly epsilon: number | null;
}

/** One planned (model, seed) with its evaluations. */
export interface PlannedTraining {
  readonly key: string;
  readonly model: ModelSpec;
  readonly seed: number;
  /** Key of the training this one starts from (teacher or pretrained model). */
  readonly teacherKey?: string;
  readonly evaluations: PlannedEvaluation[];
}

/** Every cell of the experiment, in run order (seeds outer, models in config order so teachers come first). */
export function planExperiment(config: ExperimentConfig): PlannedTraining[] {
  const plan: PlannedTraining[] = [];
  for (const seed of config.seeds) {
    const keys = new Map<string, string>();
    for (const model of config.models) {
      const dependency = modelDependency(model);
      const teacherKey = dependency === undefined ? undefined : keys.get(dependency);
      const key = trainCellKey(config, model, seed, teacherKey);
      keys.set(model.id, key);
      const evaluations: PlannedEvaluation[] = [
        { key: evaluationCellKey(config, key, null, null), attack: null, epsilon: null },
      ];
      for (const attack of config.attacks) {
        for (const epsilon of attack.epsilons)
          evaluations.push({ key: evaluationCellKey(config, key, attack, epsilon), attack, epsilon });
      }
      plan.push({ key, model, seed, teacherKey, evaluations });
    }
  }
  return plan;
}

/** Per-user metrics persisted for a model: those its comparisons need. */
export function perUserMetricsFor(config: ExperimentConfig, modelId: string): string[] {
  const keys = new Set<string>();
  for (const comparison of config.comparisons) {
    if (comparison.model === modelId || comparison.baseline === modelId)
      keys.add(metricKey(comparison.metric, comparison.k));
  }
  return [...keys];
}

export interface RunProgress {
  readonly done: number;
  readonly total: number;
  readonly status: string;
}

export interface RunExperimentOptions<Data, Model> {
  readonly engine: ExperimentEngine<Data, Model>;
  readonly outDir: string;
  /** Called after every cell (computed or cached). */
  readonly onProgress?: (progress: RunProgress) => void;
  /** Called during long cells (training epochs). */
  readonly onStatus?: (status: string) => void;
}

export interface ExperimentRun {
  readonly configHash: string;
  readonly trainings: (TrainCellRecord & { readonly cached: boolean })[];
  readonly evaluations: (EvaluationCellRecord & { readonly cached: boolean })[];
  /** Dataset and split per seed, from this run or from the cached training cells. */
  readonly data: (DataSummary & { readonly seed: number })[];
  readonly counts: {
    readonly cells: number;
    readonly computed: number;
    readonly cached: number;
    readonly modelsLoaded: number;
  };
  readonly seconds: number;
}

/**
 * A training error with the experiment's model id in front (`models "apr-eps-0-2": trainApr: …`), so that a
 * config with several models of one kind says which entry is wrong. Errors that name the model already, and
 * errors that are not TrustRecErrors, pass through unchanged.
 */
function withModelContext(error: unknown, modelId: string): unknown {
  if (!TrustRecError.isInstance(error) || error.details.model !== undefined) return error;
  return new TrustRecError({
    code: error.code,
    message: `models "${modelId}": ${error.message}`,
    details: { ...error.details, model: modelId },
    cause: error,
  });
}

function elapsedSeconds(start: number): number {
  return (performance.now() - start) / 1000;
}

/**
 * Runs every cell of the experiment that the cache does not already hold. Training cells are (model, seed);
 * evaluation cells are (model, seed, clean) and (model, seed, attack, ε). Each finished cell is written
 * atomically to the output folder's cache at once, so an interrupted run loses at most the cells in flight.
 * A trained model is saved with the training cell, so evaluations missing later (a new ε, a deleted cell) load
 * it instead of retraining. Data is only prepared for seeds with missing cells.
 */
export async function runExperiment<Data, Model>(
  config: ExperimentConfig,
  options: RunExperimentOptions<Data, Model>,
): Promise<ExperimentRun> {
  const start = performance.now();
  const { engine, onProgress, onStatus } = options;
  const cache = new ResultCache(options.outDir);
  const plan = planExperiment(config);
  const total = plan.reduce((sum, training) => sum + 1 + training.evaluations.length, 0);
  let done = 0;
  let computed = 0;
  let cached = 0;
  let modelsLoaded = 0;
  const trainings: ExperimentRun['trainings'] = [];
  const evaluations: ExperimentRun['evaluations'] = [];
  const dataSummaries: ExperimentRun['data'] = [];
  const tick = (status: string) => {
    done++;
    onProgress?.({ done, total, status });
  };

  for (const seed of config.seeds) {
    const seedPlan = plan.filter((training) => training.seed === seed);
    let data: Data | undefined;
    const getData = async (): Promise<Data> => {
      if (data === undefined) {
        onStatus?.(`seed ${seed}: loading ${config.dataset.name}`);
        data = await engine.prepareData(config, splitSeedFor(config, seed));
        dataSummaries.push({ seed, ...engine.describeData(data) });
      }
      return data;
    };
    const models = new Map<string, Model>();
    const trainRecords = new Map<string, TrainCellRecord>();

    // The model of a planned training: from memory, else from the cache, else trained (and cached) now.
    const getModel = async (training: PlannedTraining): Promise<Model> => {
      const inMemory = models.get(training.model.id);
      if (inMemory !== undefined) return inMemory;
      const record = trainRecords.get(training.model.id);
      const bytes = record ? cache.readModel(record.key) : undefined;
      if (record && bytes) {
        try {
          const model = engine.loadModel(bytes, training.model);
          models.set(training.model.id, model);
          modelsLoaded++;
          return model;
        } catch {
          // An unreadable model file is retrained below (same seed, same parameters, same model).
        }
      }
      return trainNow(training);
    };

    const trainNow = async (training: PlannedTraining): Promise<Model> => {
      const dependencyId = modelDependency(training.model);
      const dependencyTraining =
        dependencyId === undefined ? undefined : seedPlan.find((other) => other.model.id === dependencyId);
      const dependency = dependencyTraining ? await getModel(dependencyTraining) : undefined;
      const trainingData = await getData();
      const cellStart = performance.now();
      onStatus?.(`seed ${seed}: training ${training.model.id}`);
      const trained = await engine
        .train(training.model, {
          data: trainingData,
          seed,
          teacher: training.model.teacher !== undefined ? dependency : undefined,
          pretrained: training.model.pretrained !== undefined ? dependency : undefined,
          onStatus: (status) => onStatus?.(`seed ${seed}: ${training.model.id} ${status}`),
        })
        .catch((error: unknown) => {
          throw withModelContext(error, training.model.id);
        });
      const record: TrainCellRecord = {
        type: 'train',
        version: CELL_CACHE_VERSION,
        key: training.key,
        model: training.model.id,
        seed,
        seconds: elapsedSeconds(cellStart),
        data: engine.describeData(trainingData),
        summary: trained.summary,
        modelFile: `${training.key}.bin`,
        finishedAt: new Date().toISOString(),
      };
      // Model first, then the cell: a cell on disk always has its model.
      cache.writeModel(training.key, engine.saveModel(trained.model));
      cache.writeCell(record);
      computed++;
      const previous = trainings.findIndex((entry) => entry.key === record.key && entry.model === record.model);
      if (previous >= 0) trainings.splice(previous, 1);
      trainings.push({ ...record, cached: false });
      trainRecords.set(training.model.id, record);
      models.set(training.model.id, trained.model);
      return trained.model;
    };

    for (const training of seedPlan) {
      const perUserKeys = perUserMetricsFor(config, training.model.id);
      const cachedTraining = cache.readCell<TrainCellRecord>(training.key, 'train');
      const hasModel = cachedTraining !== undefined && cache.readModel(training.key) !== undefined;
      if (cachedTraining && hasModel) {
        // Two model entries with the same kind, parameters and start share a key (and so the cached cells);
        // each is reported under its own id.
        const record = { ...cachedTraining, model: training.model.id };
        trainRecords.set(training.model.id, record);
        trainings.push({ ...record, cached: true });
        cached++;
        tick(`${training.model.id} seed ${seed} (cached)`);
      } else {
        await trainNow(training);
        tick(`${training.model.id} seed ${seed} trained`);
      }

      for (const evaluation of training.evaluations) {
        const label = evaluation.attack ? `${evaluation.attack.id} ε=${evaluation.epsilon}` : 'clean';
        const existing = cache.readCell<EvaluationCellRecord>(evaluation.key, 'evaluation');
        const complete = existing && perUserKeys.every((key) => existing.perUser?.values[key] !== undefined);
        if (existing && complete) {
          evaluations.push({ ...existing, model: training.model.id, cached: true });
          cached++;
          tick(`${training.model.id} seed ${seed} ${label} (cached)`);
          continue;
        }
        const model: Model = await getModel(training);
        const evaluationData = await getData();
        const cellStart = performance.now();
        onStatus?.(`seed ${seed}: ${training.model.id} ${label}`);
        let target: Model = model;
        let attackSummary: Record<string, unknown> | undefined;
        if (evaluation.attack && evaluation.epsilon !== null) {
          const attacked = await engine.attack(evaluation.attack, evaluation.epsilon, {
            model,
            data: evaluationData,
            seed,
          });
          target = attacked.model;
          attackSummary = attacked.summary;
        }
        const result = await engine.evaluate(target, evaluationData, {
          ks: config.metrics.ks,
          names: config.metrics.names,
        });
        const record: EvaluationCellRecord = {
          type: 'evaluation',
          version: CELL_CACHE_VERSION,
          key: evaluation.key,
          trainKey: training.key,
          model: training.model.id,
          seed,
          attack: evaluation.attack?.id ?? null,
          epsilon: evaluation.epsilon,
          metrics: checkMetrics(result, config, `${training.model.id} seed ${seed} ${label}`),
          usersEvaluated: result.usersEvaluated,
          perUser: perUserKeys.length > 0 ? encodePerUser(result, perUserKeys) : undefined,
          attackSummary,
          seconds: elapsedSeconds(cellStart),
          finishedAt: new Date().toISOString(),
        };
        cache.writeCell(record);
        computed++;
        evaluations.push({ ...record, cached: false });
        tick(`${training.model.id} seed ${seed} ${label}`);
      }
    }
  }
  return {
    configHash: experimentConfigHash(config),
    trainings,
    evaluations,
    data: config.seeds.flatMap((seed) => {
      const fresh = dataSummaries.find((entry) => entry.seed === seed);
      const fromCache = trainings.find((entry) => entry.seed === seed)?.data;
      return fresh ? [fresh] : fromCache ? [{ seed, ...fromCache }] : [];
    }),
    counts: { cells: total, computed, cached, modelsLoaded },
    seconds: elapsedSeconds(start),
  };
}

function checkMetrics(result: EngineEvaluation, config: ExperimentConfig, where: string): Record<string, number> {
  const metrics: Record<string, number> = {};
  const wanted = [...config.metrics.names.flatMap((name) => config.metrics.ks.map((k) => metricKey(name, k))), 'auc'];
  for (const key of wanted) {
    const value = result.metrics[key];
    if (typeof value !== 'number') {
      throw new TrustRecError({
        code: 'E_NUMERIC',
        message: `experiment ${config.name}: evaluation of ${where} returned no ${key}`,
        details: { metric: key },
      });
    }
    metrics[key] = value;
  }
  return metrics;
}

function encodePerUser(
  result: EngineEvaluation,
  keys: readonly string[],
): NonNullable<EvaluationCellRecord['perUser']> {
  const values: Record<string, string> = {};
  for (const key of keys) {
    const array = result.perUser[key];
    if (!array || array.length !== result.users.length) {
      throw new TrustRecError({
        code: 'E_SHAPE',
        message: `experiment runner: per-user ${key} has ${array?.length ?? 0} values for ${result.users.length} users`,
      });
    }
    values[key] = encodeFloat32(array);
  }
  return { users: encodeInt32(result.users), values };
}
