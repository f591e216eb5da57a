import { TrustRecError, createRng } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { evaluateSampled } from './evaluate-sampled.js';

function fixedScores(values: number[]) {
  return (_users: Int32Array, items: Int32Array, out: Float32Array) => {
    expect(out.length).toBe(items.length);
    out.set(values.slice(0, out.length));
  };
}

describe('evaluateSampled', () => {
  it('hand-computed: rank counts negatives scoring strictly higher (ties do not push the positive down)', async () => {
    // user row 0: positive 0.5, negatives 0.9, 0.5 (tie), 0.1 → rank 2 (strict), AUC (1 + 0.5) / 3.
    // user row 1: positive 0.8, negatives 0.1, 0.2, 0.3 → rank 1, AUC 1.
    const candidates = {
      users: Int32Array.of(4, 9),
      items: Int32Array.of(10, 11, 12, 13, 20, 21, 22, 23),
      numCandidates: 4,
    };
    const score = fixedScores([0.5, 0.9, 0.5, 0.1, 0.8, 0.1, 0.2, 0.3]);
    const result = await evaluateSampled({ candidates, score, ks: [1, 2, 3] });
    const d = (rank: number) => 1 / Math.log2(rank + 1);
    expect(result.protocol).toBe('sampled');
    expect(result.usersEvaluated).toBe(2);
    expect(result.usersSkipped).toBe(0);
    expect(result.mean.hr[1]).toBe(0.5);
    expect(result.mean.hr[2]).toBe(1);
    expect(result.mean.ndcg[2]).toBeCloseTo((d(2) + 1) / 2, 6);
    expect(result.mean.mrr[3]).toBeCloseTo((0.5 + 1) / 2, 6);
    expect(result.mean.map[3]).toBeCloseTo((0.5 + 1) / 2, 6);
    expect(result.mean.precision[2]).toBeCloseTo(1 / 2, 6);
    expect(result.mean.recall[1]).toBe(0.5);
    expect(result.perUser.auc[0]).toBeCloseTo(1.5 / 3, 6);
    expect(result.auc).toBeCloseTo((0.5 + 1) / 2, 6);
    expect(Array.from(result.perUser.users)).toEqual([4, 9]);

    const pessimistic = await evaluateSampled({ candidates, score, ks: [2], tieRule: 'greater-or-equal' });
    expect(pessimistic.perUser.hr[2][0]).toBe(0); // rank 3 with the tie counted against the positive
    expect(pessimistic.perUser.auc[0]).toBeCloseTo(1.5 / 3, 6); // AUC is tie-rule independent
  });

  it('a constant scorer: strict-greater gives rank 1, greater-or-equal gives the last rank, AUC 0.5', async () => {
    const numCandidates = 101;
    const candidates = {
      users: Int32Array.of(0),
      items: Int32Array.from({ length: numCandidates }, (_, i) => i),
      numCandidates,
    };
    const score = (_u: Int32Array, _i: Int32Array, out: Float32Array) => {
      out.fill(1);
    };
    const strict = await evaluateSampled({ candidates, score, ks: [10] });
    const loose = await evaluateSampled({ candidates, score, ks: [10, 101], tieRule: 'greater-or-equal' });
    expect(strict.mean.hr[10]).toBe(1);
    expect(loose.mean.hr[10]).toBe(0);
    expect(loose.mean.hr[101]).toBe(1);
    expect(strict.auc).toBe(0.5);
  });

  it('matches a brute-force rank on random scores in batches; reversed scores give 1 − AUC', async () => {
    const rng = createRng(5);
    const numUsers = 500;
    const numCandidates = 21;
    const users = Int32Array.from({ length: numUsers }, (_, u) => u);
    const items = Int32Array.from({ length: numUsers * numCandidates }, (_, i) => i);
    const scores = new Float32Array(items.length).map(() => rng.nextInt(8));
    const score = (batchUsers: Int32Array, batchItems: Int32Array, out: Float32Array) => {
      for (let t = 0; t < batchItems.length; t++) out[t] = scores[batchItems[t]];
      expect(batchItems.length).toBe(batchUsers.length * numCandidates);
    };
    const result = await evaluateSampled({
      candidates: { users, items, numCandidates },
      score,
      ks: [5],
      batchSize: 64,
    });
    for (let u = 0; u < numUsers; u++) {
      const row = Array.from(scores.subarray(u * numCandidates, (u + 1) * numCandidates));
      const rank = 1 + row.slice(1).filter((s) => s > row[0]).length;
      expect(result.perUser.hr[5][u]).toBe(rank <= 5 ? 1 : 0);
      expect(result.perUser.ndcg[5][u]).toBeCloseTo(rank <= 5 ? 1 / Math.log2(rank + 1) : 0, 6);
    }
    const reversed = await evaluateSampled({
      candidates: { users, items, numCandidates },
      score: (u, i, out) => {
        score(u, i, out);
        for (let t = 0; t < out.length; t++) out[t] = -out[t];
      },
      ks: [5],
    });
    for (let u = 0; u < numUsers; u++) expect(result.perUser.auc[u] + reversed.perUser.auc[u]).toBeCloseTo(1, 6);
  });

  it("repeatedPositive 'ignore' drops a negative slot that repeats the positive (the NCF reference rule)", async () => {
    // One user: positive item 7 scored 0.5; slots: 7 again (scored 0.5 too, it is the same item), 8 → 0.9, 9 → 0.1.
    // Ignoring the repeat leaves 2 negatives: rank 2, AUC 1/2. Counted as a negative it would tie (AUC 1.25/3).
    const candidates = { users: Int32Array.of(0), items: Int32Array.of(7, 7, 8, 9), numCandidates: 4 };
    const score = fixedScores([0.5, 0.5, 0.9, 0.1]);
    const ignored = await evaluateSampled({ candidates, score, ks: [1, 2], repeatedPositive: 'ignore' });
    expect(ignored.perUser.hr[1][0]).toBe(0);
    expect(ignored.perUser.hr[2][0]).toBe(1);
    expect(ignored.perUser.auc[0]).toBeCloseTo(1 / 2, 6);
    // Under the pessimistic tie rule the repeat would otherwise push the positive to rank 3.
    const pessimistic = await evaluateSampled({
      candidates,
      score,
      ks: [2],
      tieRule: 'greater-or-equal',
      repeatedPositive: 'ignore',
    });
    expect(pessimistic.perUser.hr[2][0]).toBe(1);
    await expect(evaluateSampled({ candidates, score, ks: [1] })).rejects.toThrow(
      /also appears as negative at position 1/,
    );
    await expect(evaluateSampled({ candidates, score, ks: [1], repeatedPositive: 'keep' as 'error' })).rejects.toThrow(
      /repeatedPositive must be/,
    );
  });

  it('rejects malformed candidates, naming the user row and position', async () => {
    const score = (_u: Int32Array, _i: Int32Array, out: Float32Array) => {
      out.fill(0);
    };
    const attempt = async (promise: Promise<unknown>, code: string, pattern: RegExp) => {
      let caught: unknown;
      try {
        await promise;
      } catch (error) {
        caught = error;
      }
      expect(TrustRecError.isInstance(caught, code as 'E_ARGUMENT')).toBe(true);
      expect((caught as Error).message).toMatch(pattern);
    };
    await attempt(
      evaluateSampled({
        candidates: { users: Int32Array.of(0), items: Int32Array.of(1, 2), numCandidates: 3 },
        score,
        ks: [1],
      }),
      'E_SHAPE',
      /users.length × numCandidates/,
    );
    await attempt(
      evaluateSampled({
        candidates: { users: Int32Array.of(0, 1), items: Int32Array.of(1, 2, 3, 3), numCandidates: 2 },
        score,
        ks: [1],
      }),
      'E_ARGUMENT',
      /user row 1 .*position 1/,
    );
    await attempt(
      evaluateSampled({
        candidates: { users: Int32Array.of(0), items: Int32Array.of(1, 2), numCandidates: 2 },
        score: (_u, _i, out) => {
          out.fill(Number.NaN);
        },
        ks: [1],
      }),
      'E_NUMERIC',
      /user row 0/,
    );
  });

  it('rejects an unknown option name (E_CONFIG), a negative user and callbacks that are not functions', async () => {
    const candidates = { users: Int32Array.of(0), items: Int32Array.of(1, 2), numCandidates: 2 };
    const score = (_u: Int32Array, _i: Int32Array, out: Float32Array) => {
      out.fill(0);
    };
    const attempt = async (promise: Promise<unknown>, code: string, pattern: RegExp) => {
      let caught: unknown;
      try {
        await promise;
      } catch (error) {
        caught = error;
      }
      expect(TrustRecError.isInstance(caught, code as 'E_ARGUMENT')).toBe(true);
      expect((caught as Error).message).toMatch(pattern);
    };
    // A misspelt `tieRule` used to run the default rule.
    await attempt(
      evaluateSampled({ candidates, score, ks: [1], tierule: 'greater-or-equal' } as Parameters<
        typeof evaluateSampled
      >[0]),
      'E_CONFIG',
      /evaluateSampled: option 'tierule' must be one of the known options \(candidates, score, ks, batchSize, tieRule, repeatedPositive, onProgress\), got "greater-or-equal"/,
    );
    await attempt(
      evaluateSampled({ candidates, score: undefined as unknown as typeof score, ks: [1] }),
      'E_ARGUMENT',
      /score must be a function/,
    );
    await attempt(
      evaluateSampled({ candidates, score, ks: [1], onProgress: true as unknown as () => void }),
      'E_ARGUMENT',
      /onProgress must be a function/,
    );
    await attempt(
      evaluateSampled({ candidates: { ...candidates, users: Int32Array.of(-1) }, score, ks: [1] }),
      'E_ARGUMENT',
      /candidates.users\[0\] = -1 is negative/,
    );
  });
});
