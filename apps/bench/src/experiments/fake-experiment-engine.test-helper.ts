import { createRng } from '@trustrec/core-linalg';
import type { ExperimentConfig } from './experiment-config.js';
import { type EngineEvaluation, type ExperimentEngine, metricKey } from './experiment-engine.js';

/** A fake model: a base quality, a robustness factor and the perturbation applied so far. */
export interface FakeModel {
  readonly id: string;
  readonly kind: string;
  readonly seed: number;
  readonly quality: number;
  readonly robustness: number;
  readonly perturbation: number;
}

export interface FakeData {
  readonly seed: number;
  readonly users: number;
}

export interface FakeCalls {
  prepareData: number;
  train: string[];
  loadModel: string[];
  attack: string[];
  evaluate: string[];
}

const QUALITY: Record<string, number> = { bpr: 0.3, apr: 0.32, distilled: 0.29, 'adv-distilled': 0.31 };
const ROBUSTNESS: Record<string, number> = { bpr: 0.4, apr: 0.1, distilled: 0.35, 'adv-distilled': 0.12 };

/**
 * A deterministic stand-in for the real algorithms (test-only): metrics follow a closed form of the model kind,
 * seed and ε, so tests can assert aggregation and caching without training anything. Records every call.
 */
export function createFakeEngine(
  options: { users?: number } = {},
): ExperimentEngine<FakeData, FakeModel> & { calls: FakeCalls } {
  const users = options.users ?? 40;
  const calls: FakeCalls = { prepareData: 0, train: [], loadModel: [], attack: [], evaluate: [] };
  return {
    calls,
    async describeEnvironment() {
      return { backend: 'fake', versions: { '@trustrec/bench': 'test' } };
    },
    async prepareData(_config: ExperimentConfig, seed: number) {
      calls.prepareData++;
      return { seed, users };
    },
    describeData(data) {
      return {
        dataset: 'fake',
        numUsers: data.users,
        numItems: 100,
        trainInteractions: 1000,
        testInteractions: data.users,
        split: `fake split seed ${data.seed}`,
        synthetic: true,
      };
    },
    async train(model, context) {
      calls.train.push(`${model.id}/${context.seed}`);
      const teacherBonus = context.teacher ? 0.001 : 0;
      return {
        model: {
          id: model.id,
          kind: model.kind,
          seed: context.seed,
          quality: QUALITY[model.kind] + 0.002 * context.seed + teacherBonus,
          robustness: ROBUSTNESS[model.kind],
          perturbation: 0,
        },
        summary: { epochs: 1 },
      };
    },
    saveModel(model) {
      return new TextEncoder().encode(JSON.stringify(model));
    },
    loadModel(bytes, spec) {
      calls.loadModel.push(spec.id);
      return JSON.parse(new TextDecoder().decode(bytes)) as FakeModel;
    },
    async attack(attack, epsilon, context) {
      calls.attack.push(`${context.model.id}/${context.seed}/${attack.id}/${epsilon}`);
      const strength = attack.kind === 'random' ? 0.2 : attack.kind === 'fgsm' ? 1 : 1.2;
      return { model: { ...context.model, perturbation: strength * epsilon }, summary: { epsilon } };
    },
    async evaluate(model, data, evaluateOptions): Promise<EngineEvaluation> {
      calls.evaluate.push(`${model.id}/${model.seed}/${model.perturbation}`);
      const level = model.quality * Math.exp(-model.robustness * model.perturbation);
      const rng = createRng(model.seed * 1000 + Math.round(model.perturbation * 100));
      const metrics: Record<string, number> = { auc: 0.5 + level };
      const perUser: Record<string, Float32Array> = {};
      for (const name of evaluateOptions.names) {
        for (const k of evaluateOptions.ks) {
          const values = new Float32Array(data.users);
          let sum = 0;
          for (let user = 0; user < data.users; user++) {
            values[user] = Math.max(0, level * Math.log10(k) + 0.05 * (rng.nextFloat() - 0.5));
            sum += values[user];
          }
          metrics[metricKey(name, k)] = sum / data.users;
          perUser[metricKey(name, k)] = values;
        }
      }
      return {
        metrics,
        usersEvaluated: data.users,
        users: Int32Array.from({ length: data.users }, (_, user) => user),
        perUser,
      };
    },
  };
}
