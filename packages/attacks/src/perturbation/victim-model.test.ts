import { ModelRegistry } from '@trustrec/models';
import { thrownError } from '@trustrec/test-utils';
import { beforeAll, describe, expect, it } from 'vitest';
import { sameBits, trainedVictim } from '../__fixtures__/synthetic-victim.js';
import { FactorSnapshotModel, assertDotProductScoring, cloneFactorModel } from './victim-model.js';

let victim: Awaited<ReturnType<typeof trainedVictim>>['model'];

beforeAll(async () => {
  ({ model: victim } = await trainedVictim());
});

describe('cloneFactorModel', () => {
  it('returns an independent copy with identical factors and scores', () => {
    const copy = cloneFactorModel(victim);
    expect(copy).not.toBe(victim);
    expect(copy.userFactors).not.toBe(victim.userFactors);
    expect(copy.userFactors.buffer).not.toBe(victim.userFactors.buffer);
    expect(sameBits(copy.userFactors, victim.userFactors)).toBe(true);
    expect(sameBits(copy.itemFactors, victim.itemFactors)).toBe(true);
    expect(sameBits(copy.scoreUser(3), victim.scoreUser(3))).toBe(true);
    copy.userFactors[0] += 1;
    expect(copy.userFactors[0]).not.toBe(victim.userFactors[0]);
  });

  it('falls back to a FactorSnapshotModel when the registry does not know the model', () => {
    const copy = cloneFactorModel(victim, new ModelRegistry());
    expect(copy).toBeInstanceOf(FactorSnapshotModel);
    expect(copy.name).toBe(victim.name);
    expect(copy.describe().displayName).toBe(victim.describe().displayName);
    const users = Int32Array.from([0, 5, 9]);
    expect(sameBits(copy.scoreUsers(users), victim.scoreUsers(users))).toBe(true);
    expect(copy.recommend(users, 5).map((r: { indices: Int32Array }) => Array.from(r.indices))).toEqual(
      victim.recommend(users, 5).map((r: { indices: Int32Array }) => Array.from(r.indices)),
    );
  });
});

describe('registry option', () => {
  it('a registry that is not a ModelRegistry is E_ARGUMENT naming the function and option, not a TypeError', () => {
    for (const registry of [{}, 'default', 7, { load: 1 }]) {
      const error = thrownError(() => cloneFactorModel(victim, registry as never));
      expect([error.code, error.details?.option]).toEqual(['E_ARGUMENT', 'registry']);
      expect(error.message).toMatch(/^cloneFactorModel: registry must be a ModelRegistry/);
    }
  });
});

describe('FactorSnapshotModel.restore', () => {
  it('takes back a factor-snapshot file in place; the victim’s own (bpr) file is E_FORMAT and changes nothing', () => {
    const snapshot = new FactorSnapshotModel(victim);
    const saved = snapshot.save();
    const scores = snapshot.scoreUser(3).slice();
    const live = snapshot.userFactors;
    snapshot.userFactors.fill(0);
    snapshot.restore(saved);
    expect(snapshot.userFactors).toBe(live);
    expect(sameBits(snapshot.scoreUser(3), scores)).toBe(true);
    expect(() => snapshot.restore(victim.save())).toThrow(/restore: the bytes hold a saved 'bpr' model/);
    expect(sameBits(snapshot.scoreUser(3), scores)).toBe(true);
  });
});

describe('assertDotProductScoring', () => {
  it('accepts MF-BPR and rejects a factor model whose score is not p_u·q_i + b_i', () => {
    expect(() => assertDotProductScoring('test', victim)).not.toThrow();
    const other = new FactorSnapshotModel(victim);
    const scaled = Object.create(other) as FactorSnapshotModel;
    scaled.scorePairs = (users: Int32Array, items: Int32Array) => other.scorePairs(users, items).map((s) => 2 * s + 1);
    expect(() => assertDotProductScoring('test', scaled)).toThrow(expect.objectContaining({ code: 'E_ARGUMENT' }));
  });
});
