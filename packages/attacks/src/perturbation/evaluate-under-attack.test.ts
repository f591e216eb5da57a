import type { EvaluationResult } from '@trustrec/metrics';
import type { Recommender } from '@trustrec/models';
import { beforeAll, describe, expect, it } from 'vitest';
import { fullRankingEvaluator, sameBits, trainedVictim } from '../__fixtures__/synthetic-victim.js';
import { type AttackProgress, evaluateUnderAttack, relativeDrop } from './evaluate-under-attack.js';
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

  it('checks every option and attack before the clean evaluation, naming attacks[i].field', async () => {
    const { model, train } = fixture;
    let evaluations = 0;
    const evaluate = (): EvaluationResult => {
      evaluations++;
      throw new Error('not reached');
    };
    const base = { model, train, evaluate, seed: 1, epsilons: [0.5] };
    for (const [options, code, option] of [
      // A bad BIM step count used to fail only after the clean evaluation and the random cells.
      [{ ...base, attacks: [{ name: 'random' }, { name: 'bim', steps: 0 }] }, 'E_ARGUMENT', 'attacks[1].steps'],
      [
        { ...base, attacks: [{ name: 'fgsm', negativesPerPositive: 0 }] },
        'E_ARGUMENT',
        'attacks[0].negativesPerPositive',
      ],
      [{ ...base, attacks: [{ name: 'random', target: 'user' }] }, 'E_ARGUMENT', 'attacks[0].target'],
      [{ ...base, attacks: [{ name: 'random', distribution: 'normal' }] }, 'E_ARGUMENT', 'attacks[0].distribution'],
      // A negative fraction was never checked (at ε = 0 it ran with stepSize −0).
      [
        { ...base, attacks: [{ name: 'bim', stepSizeFraction: -1 }], epsilons: [0] },
        'E_ARGUMENT',
        'attacks[0].stepSizeFraction',
      ],
      // stepSize silently won over stepSizeFraction.
      [
        { ...base, attacks: [{ name: 'bim', stepSize: 0.1, stepSizeFraction: 0.5 }] },
        'E_CONFIG',
        'attacks[0].stepSizeFraction',
      ],
      // FGSM has no steps: ignored before.
      [{ ...base, attacks: [{ name: 'fgsm', steps: 5 }] }, 'E_CONFIG', 'attacks[0].steps'],
      [{ ...base, attacks: [{ name: 'random' }], epsilon: 1 }, 'E_CONFIG', 'epsilon'],
      [{ ...base, attacks: [{ name: 'random' }], onProgress: true }, 'E_ARGUMENT', 'onProgress'],
      // A bad registry used to fail with a TypeError after the clean evaluation, in the first attack cell.
      [{ ...base, attacks: [{ name: 'random' }], registry: {} }, 'E_ARGUMENT', 'registry'],
    ] as const) {
      await expect(evaluateUnderAttack(options as never), option).rejects.toMatchObject({
        code,
        details: expect.objectContaining({ option }),
      });
    }
    await expect(
      evaluateUnderAttack({ ...base, train: train.selectRows(Int32Array.from([0, 1])), attacks: [{ name: 'fgsm' }] }),
    ).rejects.toMatchObject({ code: 'E_SHAPE', message: expect.stringMatching(/^evaluateUnderAttack: train is 2×/) });
    expect(evaluations).toBe(0);
  });
});

describe('relativeDrop', () => {
  it('refuses an attacked result without a metric or cut-off of the clean one (E_SHAPE, not NaN)', async () => {
    const { model, train, test } = fixture;
    const clean = await fullRankingEvaluator(train, test)(model);
    expect(relativeDrop(clean, clean).ndcg[20]).toBe(0);
    const fewerKs = { ...clean, ks: [10], mean: { ...clean.mean, ndcg: { 10: clean.mean.ndcg[10] } } };
    expect(() => relativeDrop(clean, fewerKs as EvaluationResult)).toThrow(
      expect.objectContaining({
        code: 'E_SHAPE',
        message: expect.stringMatching(/^relativeDrop: the attacked result has no ndcg@20/),
      }),
    );
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
