import type { AttackSpec, ExperimentConfig, ModelSpec } from './experiment-config.js';

/**
 * The seam between the experiment infrastructure (config, cache, runner, aggregation, report) and the
 * algorithms. The runner only ever calls these methods; `createTrustRecEngine` implements them with the real
 * packages (datasets, models, defenses, attacks, metrics), and tests pass small fakes.
 *
 * `Data` is whatever one seed's prepared dataset and split is; `Model` a trained (or perturbed) model.
 */
export interface ExperimentEngine<Data = unknown, Model = unknown> {
  /** Compute backend and package versions, recorded in results.json. */
  describeEnvironment(): Promise<EngineEnvironment>;
  /** Loads the dataset and draws the split for one seed (`splitSeed` is the seed the split uses). */
  prepareData(config: ExperimentConfig, splitSeed: number): Promise<Data>;
  describeData(data: Data): DataSummary;
  /**
   * Trains one model; `teacher` is the trained teacher of the same seed for distillation kinds, `pretrained`
   * the MF-BPR of the same seed that APR starts from (never mutated).
   */
  train(
    model: ModelSpec,
    context: { data: Data; seed: number; teacher?: Model; pretrained?: Model; onStatus?: (status: string) => void },
  ): Promise<TrainedModel<Model>>;
  saveModel(model: Model): Uint8Array;
  loadModel(bytes: Uint8Array, spec: ModelSpec): Model;
  /** A perturbed copy of `model` (the victim is never mutated). */
  attack(
    attack: AttackSpec,
    epsilon: number,
    context: { model: Model; data: Data; seed: number },
  ): Promise<AttackedModel<Model>>;
  /** Full-ranking evaluation on the seed's test split, training items excluded. */
  evaluate(
    model: Model,
    data: Data,
    options: { ks: readonly number[]; names: readonly string[] },
  ): Promise<EngineEvaluation>;
}

export interface EngineEnvironment {
  /** The compute backend the models run on (from core-linalg's `selectBackend`). */
  readonly backend: string;
  readonly backendSource?: string;
  readonly versions: Record<string, string | null>;
}

export interface DataSummary {
  readonly dataset: string;
  readonly numUsers: number;
  readonly numItems: number;
  readonly trainInteractions: number;
  readonly testInteractions: number;
  readonly split: string;
  readonly synthetic: boolean;
}

export interface TrainedModel<Model> {
  readonly model: Model;
  /** JSON-safe facts about the training (epochs, final loss, seconds, hyper-parameters as resolved). */
  readonly summary: Record<string, unknown>;
}

export interface AttackedModel<Model> {
  readonly model: Model;
  /** JSON-safe facts about the perturbation (attack description, norms). */
  readonly summary: Record<string, unknown>;
}

export interface EngineEvaluation {
  /** Means over evaluated users, keyed `hr@10`, `ndcg@100`, ..., and `auc`. */
  readonly metrics: Record<string, number>;
  readonly usersEvaluated: number;
  /** The evaluated users, aligned with every per-user array. */
  readonly users: Int32Array;
  /** Per-user values keyed like `metrics` (`ndcg@100`), for paired tests. */
  readonly perUser: Record<string, Float32Array>;
}

/** `hr@10` etc. */
export function metricKey(name: string, k: number): string {
  return `${name}@${k}`;
}
