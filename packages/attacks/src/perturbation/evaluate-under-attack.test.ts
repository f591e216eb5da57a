import type { EvaluationResult } from '@trustrec/metrics';
import type { Recommender } from '@trustrec/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { fullRankingEvaluator, sameBits, trainedVictim } from '../__fixtures__/synthetic-victim.js';
import { type AttackProgress, evaluateUnderAttack } from './evaluate-under-attack.js';
import { PERTURBATION_ATTACKS } from './perturbation-attacks.js';

let fixture: Awaited<ReturnType<typeof trainedVictim>>;

beforeAll(async () => {
  fixture = await trainedVictim();
});

describe('evaluateUnderAttack', () => {
  it('evaluates clean and every attack × ε cell, with relative drops computed from the two results', async () => {
    const { model, train, test } = fixture;
    const before = model.userFactors.slice();
    const progress: AttackProgress[] = [];
    const evaluated: Recommender[] = [];
    const evaluate = fullRankingEvaluator(train, test);
    const result = await evaluateUnderAttack({
      model,
      train,
      attacks: [{ name: 'random' }, { name: 'fgsm' }, { name: 'bim', steps: 3 }],
      epsilons: [0, 1],
      evaluate: (candidate) => {
        evaluated.push(candidate);
        return evaluate(candidate);
      },
      seed: 4,
      onProgress: (event) => progress.push(event),
    });
    expect(result.attacked).toHaveLength(6);
    expect(evaluated[0]).toBe(model);
    expect(evaluated.slice(1).every((candidate) => candidate !== model)).toBe(true);
    expect(progress.map((event) => event.done)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(progress.at(-1)).toMatchObject({ total: 7, attack: 'bim', epsilon: 1 });
    expect(result.attacked.map((cell) => `${cell.attack.name}@${cell.epsilon}`)).toEqual([
      'random@0',
      'random@1',
      'fgsm@0',
      'fgsm@1',
      'bim@0',
      'bim@1',
    ]);
    for (const cell of result.attacked) {
      for (const k of [10, 20]) {
        const clean = result.clean.mean.ndcg[k];
        expect(cell.relativeDrop.ndcg[k]).toBeCloseTo((clean - cell.result.mean.ndcg[k]) / clean, 10);
      }
      expect(cell.relativeAucDrop).toBeCloseTo((result.clean.auc - cell.result.auc) / result.clean.auc, 10);
      if (cell.epsilon === 0) expect(cell.relativeDrop.hr[10]).toBe(0);
    }
    const fgsm = result.attacked[3];
    const random = result.attacked[1];
    expect(fgsm.meanNorm.users).toBeCloseTo(1, 5);
    expect(fgsm.relativeDrop.ndcg[10]).toBeGreaterThan(random.relativeDrop.ndcg[10]);
    expect(sameBits(model.userFactors, before)).toBe(true);
  });

  it('rejects unknown attacks, bad epsilons and a missing evaluator (E_ARGUMENT)', async () => {
    const { model, train } = fixture;
    const evaluate = (): EvaluationResult => {
      throw new Error('not reached');
    };
    const base = { model, train, evaluate, seed: 1 };
    await expect(
      evaluateUnderAttack({ ...base, attacks: [{ name: 'cw' } as never], epsilons: [1] }),
    ).rejects.toMatchObject({ code: 'E_ARGUMENT' });
    await expect(evaluateUnderAttack({ ...base, attacks: [], epsilons: [1] })).rejects.toMatchObject({
      code: 'E_ARGUMENT',
    });
    await expect(evaluateUnderAttack({ ...base, attacks: [{ name: 'fgsm' }], epsilons: [-1] })).rejects.toMatchObject({
      code: 'E_ARGUMENT',
    });
    await expect(
      evaluateUnderAttack({ ...base, attacks: [{ name: 'fgsm' }], epsilons: [], evaluate: undefined as never }),
    ).rejects.toMatchObject({
      code: 'E_ARGUMENT',
    });
  });
});

describe('PERTURBATION_ATTACKS', () => {
  it('lists random (black-box), FGSM and BIM (white-box)', () => {
    expect(PERTURBATION_ATTACKS.map((entry) => [entry.name, entry.knowledge, entry.needsTrainingData])).toEqual([
      ['random', 'black-box', false],
      ['fgsm', 'white-box', true],
      ['bim', 'white-box', true],
    ]);
  });
});
