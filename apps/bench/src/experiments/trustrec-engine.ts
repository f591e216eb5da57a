import { createRequire } from 'node:module';
import path from 'node:path';
import { bimPerturbation, fgsmPerturbation, randomPerturbation } from '@trustrec/attacks';
import { type CsrMatrix, TrustRecError, selectBackend } from '@trustrec/core-linalg';
import { type Dataset, type Split, leaveOneOutSplit, loadDataset, toImplicit } from '@trustrec/datasets';
import { distilledMfModelEntry, trainAdversarialDistilledMf, trainApr, trainDistilledMf } from '@trustrec/defenses';
import { evaluateFullRanking } from '@trustrec/metrics';
import {
  type FactorModel,
  type Recommender,
  createDefaultModelRegistry,
  isFactorModel,
  loadModel,
} from '@trustrec/models';
import type { AttackSpec, ExperimentConfig } from './experiment-config.js';
import { type DataSummary, type EngineEvaluation, type ExperimentEngine, metricKey } from './experiment-engine.js';

/** One seed's data: the (implicit) dataset and its leave-one-out split. */
export interface TrustRecData {
  readonly dataset: Dataset;
  readonly split: Split;
}

const PACKAGES = [
  '@trustrec/core-linalg',
  '@trustrec/datasets',
  '@trustrec/models',
  '@trustrec/metrics',
  '@trustrec/attacks',
  '@trustrec/defenses',
  '@tensorflow/tfjs-core',
] as const;

function packageVersion(name: string): string | null {
  const require = createRequire(import.meta.url);
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

function requireFactorModel(where: string, model: Recommender): FactorModel {
  if (!isFactorModel(model)) {
    throw new TrustRecError({
      code: 'E_ARGUMENT',
      message: `${where}: model "${model.name}" has no user/item factors; the perturbation attacks need a FactorModel`,
    });
  }
  return model;
}

function summarizeNorms(norms: Float32Array | undefined): { mean: number; max: number } | undefined {
  if (!norms || norms.length === 0) return undefined;
  let sum = 0;
  let max = 0;
  for (let index = 0; index < norms.length; index++) {
    sum += norms[index];
    if (norms[index] > max) max = norms[index];
  }
  return { mean: sum / norms.length, max };
}

/**
 * The engine that runs the real algorithms: datasets (`loadDataset`, `toImplicit`, `leaveOneOutSplit`),
 * models (MF-BPR from the model registry), defenses (`trainApr`, `trainDistilledMf`,
 * `trainAdversarialDistilledMf`), attacks (`randomPerturbation`, `fgsmPerturbation`, `bimPerturbation` on the user and item
 * embeddings) and metrics (`evaluateFullRanking`: every item not in the user's training set is a candidate).
 */
export function createTrustRecEngine(options: { dataDir?: string } = {}): ExperimentEngine<TrustRecData, Recommender> {
  const datasets = new Map<string, Promise<Dataset>>();
  // The built-in models plus the distilled student, so saved students load and attacks can clone them.
  const registry = createDefaultModelRegistry();
  registry.register(distilledMfModelEntry);

  const loadImplicitDataset = (config: ExperimentConfig): Promise<Dataset> => {
    // The config's folder, else --data-dir; loadDataset itself falls back to TRUSTREC_DATA_DIR.
    const dataDir = config.dataset.dataDir ? path.resolve(config.dataset.dataDir) : options.dataDir;
    const cacheKey = `${config.dataset.name}|${dataDir ?? ''}`;
    let loading = datasets.get(cacheKey);
    if (!loading) {
      loading = loadDataset(config.dataset.name, { dataDir }).then((dataset) =>
        dataset.implicit ? dataset : toImplicit(dataset),
      );
      datasets.set(cacheKey, loading);
    }
    return loading;
  };

  return {
    async describeEnvironment() {
      const selection = await selectBackend(undefined, { scope: 'models' });
      return {
        backend: selection.name,
        backendSource: selection.source,
        versions: Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name)])),
      };
    },

    async prepareData(config, splitSeed) {
      const dataset = await loadImplicitDataset(config);
      const split = leaveOneOutSplit(dataset, { seed: splitSeed });
      return { dataset, split };
    },

    describeData({ dataset, split }): DataSummary {
      return {
        dataset: dataset.name,
        numUsers: dataset.numUsers,
        numItems: dataset.numItems,
        trainInteractions: split.train.nnz,
        testInteractions: split.test.nnz,
        split: split.description.summary,
        synthetic: dataset.synthetic,
      };
    },

    async train(model, context) {
      const train: CsrMatrix = context.data.split.train;
      const onEpoch = (phase: string) => (event: { epoch: number; totalEpochs: number; loss: number }) => {
        context.onStatus?.(`${phase} epoch ${event.epoch}/${event.totalEpochs} loss ${event.loss.toFixed(4)}`);
      };
      switch (model.kind) {
        case 'bpr': {
          const recommender = registry.create('bpr', { ...model.params, seed: context.seed });
          const report = await recommender.fit(train, { onEpoch: onEpoch('bpr') });
          return {
            model: recommender,
            summary: {
              description: recommender.describe(),
              epochs: report.epochs,
              finalLoss: report.finalLoss,
              seconds: report.seconds,
              samplesPerSecond: report.samplesPerSecond,
              backend: report.backend,
            },
          };
        }
        case 'apr': {
          const pretrained = context.pretrained;
          const { model: trained, report } = await trainApr(train, {
            ...(model.params as Record<string, never>),
            seed: context.seed,
            pretrained: pretrained as Parameters<typeof trainApr>[1]['pretrained'],
            onEpoch: (event) => onEpoch(`apr ${event.phase}`)(event),
          });
          return {
            model: trained,
            summary: {
              description: report.description,
              pretrainedFrom: pretrained ? 'the MF-BPR of the same seed' : null,
              pretrainEpochs: report.pretrain?.epochs ?? 0,
              adversarialEpochs: report.adversarial.epochs,
              finalLoss: report.adversarial.finalLoss,
              finalAdversarialLoss: report.adversarialLoss[report.adversarialLoss.length - 1] ?? null,
              seconds: report.seconds,
            },
          };
        }
        case 'distilled':
        case 'adv-distilled': {
          const teacher = context.teacher;
          if (!teacher) {
            throw new TrustRecError({
              code: 'E_CONFIG',
              message: `model "${model.id}": kind "${model.kind}" needs a teacher (models[].teacher)`,
              details: { model: model.id },
            });
          }
          const distillOptions = {
            ...(model.params as Record<string, never>),
            seed: context.seed,
            onEpoch: onEpoch(model.kind),
          };
          const { model: student, report } =
            model.kind === 'distilled'
              ? await trainDistilledMf(teacher, train, distillOptions)
              : await trainAdversarialDistilledMf(teacher, train, distillOptions);
          return {
            model: student,
            summary: {
              description: report.description,
              teacher: report.teacher,
              agreement: report.agreement ?? null,
              epochs: report.fit.epochs,
              finalLoss: report.fit.finalLoss,
              seconds: report.fit.seconds,
              backend: report.fit.backend,
            },
          };
        }
      }
    },

    saveModel(model) {
      return model.save();
    },

    loadModel(bytes) {
      return loadModel(bytes, registry);
    },

    async attack(attack: AttackSpec, epsilon, context) {
      const victim = requireFactorModel(`attack ${attack.id}`, context.model);
      const train = context.data.split.train;
      const common = { epsilon, target: attack.target, seed: context.seed, registry };
      const params = attack.params as Record<string, never>;
      let result: ReturnType<typeof randomPerturbation> & {
        loss?: { clean: number; perturbed: number; triples: number };
      };
      if (attack.kind === 'random') result = randomPerturbation(victim, { ...params, ...common });
      else if (attack.kind === 'fgsm') result = fgsmPerturbation(victim, train, { ...params, ...common });
      else result = bimPerturbation(victim, train, { ...params, ...common });
      return {
        model: result.model,
        summary: {
          attack: result.attack,
          norms: { users: summarizeNorms(result.norms.users), items: summarizeNorms(result.norms.items) },
          ...(result.loss ? { bprLoss: result.loss } : {}),
        },
      };
    },

    async evaluate(model, data, evaluateOptions): Promise<EngineEvaluation> {
      const { split, dataset } = data;
      const result = await evaluateFullRanking({
        numUsers: dataset.numUsers,
        numItems: dataset.numItems,
        score: (users, out) => {
          model.scoreUsers(users, out);
        },
        test: split.test,
        exclude: split.train,
        ks: evaluateOptions.ks,
      });
      const metrics: Record<string, number> = { auc: result.auc };
      const perUser: Record<string, Float32Array> = {};
      for (const name of evaluateOptions.names) {
        const metricName = name as keyof typeof result.mean;
        for (const k of evaluateOptions.ks) {
          metrics[metricKey(name, k)] = result.mean[metricName][k];
          perUser[metricKey(name, k)] = result.perUser[metricName][k];
        }
      }
      return { metrics, usersEvaluated: result.usersEvaluated, users: result.perUser.users, perUser };
    },
  };
}
