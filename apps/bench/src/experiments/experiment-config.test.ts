import { TrustRecError } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { canonicalJson, stableHash } from './canonical-hash.js';
import { parseExperimentConfig } from './experiment-config.js';
import { experimentConfigHash } from './experiment-runner.js';

const VALID = `
name: tiny
dataset: { name: ml-100k }
models:
  - { id: bpr, kind: bpr, params: { factors: 8, epochs: 2 } }
  - { id: apr, kind: apr }
  - { id: distilled, kind: distilled, teacher: bpr }
attacks:
  - { kind: fgsm, epsilons: [0.5, 1.0] }
  - { kind: random }
seeds: 3
`;

function configErrorOf(text: string): TrustRecError {
  try {
    parseExperimentConfig(text, 'tiny.yaml');
  } catch (error) {
    if (TrustRecError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected an E_CONFIG error');
}

describe('experiment config', () => {
  it('applies defaults: seeds 1..n, ε grid, ks, split, comparisons APR vs BPR at the largest k', () => {
    const config = parseExperimentConfig(VALID);
    expect(config.seeds).toEqual([1, 2, 3]);
    expect(config.attacks[1]).toMatchObject({
      id: 'random',
      kind: 'random',
      epsilons: [0.1, 0.25, 0.5, 1, 2],
      target: 'both',
    });
    expect(config.attacks[0].epsilons).toEqual([0.5, 1]);
    expect(config.metrics).toEqual({ ks: [10, 50, 100], names: ['hr', 'ndcg'] });
    expect(config.split).toEqual({ method: 'leave-one-out', seed: 'per-seed' });
    expect(config.comparisons).toEqual([{ model: 'apr', baseline: 'bpr', metric: 'ndcg', k: 100 }]);
  });

  it('names the key path, the line and the allowed values of a bad enum', () => {
    const error = configErrorOf(VALID.replace('{ id: apr, kind: apr }', '{ id: apr, kind: aprr }'));
    expect(error.code).toBe('E_CONFIG');
    expect(error.message).toContain('tiny.yaml');
    expect(error.message).toMatch(
      /models\[1\]\.kind \(line 6\): must be one of "bpr", "apr", "distilled", "adv-distilled", got "aprr"/,
    );
  });

  it('lists the allowed keys for an unknown key, and reports every problem at once', () => {
    const error = configErrorOf(`${VALID}\nmetrics: { ks: [10, 0], nmes: [hr] }\nseed: 4\n`);
    expect(error.message).toMatch(/metrics\.ks\[1\] \(line \d+\): must be ≥ 1/);
    expect(error.message).toMatch(/metrics\.nmes \(line \d+\): unknown key; allowed keys: ks, names/);
    expect(error.message).toMatch(
      / {2}- seed \(line 14\): unknown key; allowed keys: name, description, dataset, split, models, attacks, seeds, metrics, comparisons, report, out/,
    );
  });

  it('rejects ε ≤ 0, a bad target, attack parameters of another kind, and a bad seeds value', () => {
    const error = configErrorOf(
      VALID.replace(
        '{ kind: fgsm, epsilons: [0.5, 1.0] }',
        '{ kind: fgsm, epsilons: [0.5, -1], target: user }',
      ).replace('seeds: 3', 'seeds: two'),
    );
    expect(error.message).toMatch(/attacks\[0\]\.epsilons\[1\] \(line \d+\): must be > 0/);
    expect(error.message).toMatch(
      /attacks\[0\]\.target \(line \d+\): must be one of "users", "items", "both", got "user"/,
    );
    expect(error.message).toMatch(
      /seeds \(line \d+\): must be a positive integer \(number of seeds\) or a list of integer seeds/,
    );
    const parameters = configErrorOf(VALID.replace('{ kind: random }', '{ kind: random, params: { steps: 3 } }'));
    expect(parameters.message).toMatch(
      /attacks\[1\]\.params\.steps \(line \d+\): unknown parameter for a "random" attack; allowed: "distribution"/,
    );
  });

  it('rejects model params the runner sets itself (seed, and for apr pretrained, registry, onEpoch, signal)', () => {
    const error = configErrorOf(
      VALID.replace('params: { factors: 8, epochs: 2 }', 'params: { factors: 8, seed: 7 }')
        .replace(
          '{ id: apr, kind: apr }',
          '{ id: apr, kind: apr, params: { epsilon: 0.2, pretrained: 1, registry: x } }',
        )
        .replace('teacher: bpr }', 'teacher: bpr, params: { onEpoch: 1 } }'),
    );
    expect(error.message).toMatch(
      /models\[0\]\.params\.seed \(line 5\): set by the runner for kind "bpr", not by params; remove it: each run's seed comes from "seeds"/,
    );
    expect(error.message).toMatch(/models\[1\]\.params\.pretrained \(line 6\): .*; use models\[\]\.pretrained instead/);
    expect(error.message).toMatch(/models\[1\]\.params\.registry \(line 6\): set by the runner for kind "apr"/);
    expect(error.message).toMatch(/models\[2\]\.params\.onEpoch \(line 7\): set by the runner for kind "distilled"/);
    // a trainer option the runner does not set passes through (the trainer checks its value and name)
    expect(error.message).not.toMatch(/epsilon/);
  });

  it('checks cross-references: teachers, duplicate ids, comparisons, plot metrics', () => {
    const teacher = configErrorOf(VALID.replace('teacher: bpr', 'teacher: nope'));
    expect(teacher.message).toMatch(/models\[2\]\.teacher \(line \d+\): unknown teacher "nope"; allowed: "bpr", "apr"/);
    const missing = configErrorOf(VALID.replace(', teacher: bpr', ''));
    expect(missing.message).toMatch(/models\[2\]\.teacher .*needs a teacher/);
    const duplicate = configErrorOf(VALID.replace('{ id: apr, kind: apr }', '{ id: bpr, kind: apr }'));
    expect(duplicate.message).toMatch(/models\[1\]\.id .*duplicate model id "bpr"/);
    const comparison = configErrorOf(
      `${VALID}\ncomparisons: [{ model: apr, baseline: mf, k: 20 }]\nreport: { plotMetrics: [ndcg@20] }\n`,
    );
    expect(comparison.message).toMatch(
      /comparisons\[0\]\.baseline .*unknown model "mf"; allowed: "bpr", "apr", "distilled"/,
    );
    expect(comparison.message).toMatch(/comparisons\[0\]\.k .*must be one of metrics\.ks \(10, 50, 100\), got 20/);
    expect(comparison.message).toMatch(/report\.plotMetrics\[0\] .*k = 20 is not in metrics\.ks/);
  });

  it('reports YAML syntax errors with the line', () => {
    const error = configErrorOf('name: x\nmodels: [\n');
    expect(error.code).toBe('E_CONFIG');
    expect(error.message).toMatch(/cannot parse experiment config tiny\.yaml at line \d+/);
  });

  it('hashes configurations canonically: key order and formatting do not matter, content does', () => {
    expect(canonicalJson({ b: 1, a: [1, { d: 2, c: undefined }] })).toBe('{"a":[1,{"d":2}],"b":1}');
    expect(stableHash({ a: 1, b: 2 })).toBe(stableHash({ b: 2, a: 1 }));
    const a = parseExperimentConfig(VALID);
    const reordered = parseExperimentConfig(`seeds: 3\n${VALID.replace('seeds: 3', '')}`);
    expect(experimentConfigHash(reordered)).toBe(experimentConfigHash(a));
    expect(experimentConfigHash(parseExperimentConfig(VALID.replace('seeds: 3', 'seeds: 4')))).not.toBe(
      experimentConfigHash(a),
    );
    // Where results are written is not part of the experiment.
    expect(experimentConfigHash({ ...a, out: '/tmp/elsewhere' })).toBe(experimentConfigHash(a));
  });
});
