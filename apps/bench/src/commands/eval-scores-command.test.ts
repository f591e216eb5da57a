import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrustRecError, createRng } from '@trustrec/core-linalg';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../program.js';
import { type EvalScoresReport, evaluateScoresDocument, runEvalScores } from './eval-scores-command.js';

const NAMES = ['hr', 'ndcg', 'precision', 'recall', 'mrr', 'map'] as const;

/**
 * A second, independent implementation: sort every user's candidates with Array.prototype.sort, read the ranks of
 * the positives off the sorted list, and apply the textbook definitions; AUC by counting all pairs.
 */
function naiveFull(
  document: { numItems: number; users: { scores: number[]; positives: number[]; exclude?: number[] }[] },
  ks: number[],
) {
  const sums: Record<string, number> = {};
  let evaluated = 0;
  let aucSum = 0;
  let aucUsers = 0;
  for (const user of document.users) {
    if (user.positives.length === 0) continue;
    evaluated++;
    const excluded = new Set(user.exclude ?? []);
    const positives = new Set(user.positives);
    const candidates = [...Array(document.numItems).keys()].filter((item) => !excluded.has(item));
    candidates.sort((a, b) => user.scores[b] - user.scores[a] || a - b);
    const p = positives.size;
    for (const k of ks) {
      const top = candidates.slice(0, k);
      const hits = top.filter((item) => positives.has(item)).length;
      let dcg = 0;
      let idcg = 0;
      let ap = 0;
      let seen = 0;
      let rr = 0;
      top.forEach((item, index) => {
        if (!positives.has(item)) return;
        seen++;
        dcg += 1 / Math.log2(index + 2);
        ap += seen / (index + 1);
        if (rr === 0) rr = 1 / (index + 1);
      });
      for (let r = 0; r < Math.min(k, p); r++) idcg += 1 / Math.log2(r + 2);
      const values = {
        hr: hits > 0 ? 1 : 0,
        ndcg: dcg / idcg,
        precision: hits / k,
        recall: hits / p,
        mrr: rr,
        map: ap / Math.min(p, k),
      };
      for (const name of NAMES) sums[`${name}@${k}`] = (sums[`${name}@${k}`] ?? 0) + values[name];
    }
    let wins = 0;
    let pairs = 0;
    for (const positive of positives) {
      for (const negative of candidates) {
        if (positives.has(negative)) continue;
        pairs++;
        const sp = user.scores[positive];
        const sn = user.scores[negative];
        wins += sp > sn ? 1 : sp === sn ? 0.5 : 0;
      }
    }
    if (pairs > 0) {
      aucSum += wins / pairs;
      aucUsers++;
    }
  }
  return {
    evaluated,
    skipped: document.users.length - evaluated,
    sums,
    auc: aucUsers === 0 ? null : aucSum / aucUsers,
  };
}

function naiveSampled(
  document: { users: { candidates: number[]; scores: number[]; positive: number | null }[] },
  ks: number[],
) {
  const sums: Record<string, number> = {};
  let evaluated = 0;
  let aucSum = 0;
  for (const user of document.users) {
    if (user.positive === null) continue;
    evaluated++;
    const at = user.candidates.indexOf(user.positive);
    const positiveScore = user.scores[at];
    // Sort with ties placing the positive first: the strict-greater rule.
    const order = user.candidates.map((item, c) => ({ item, score: user.scores[c] }));
    order.sort((a, b) => b.score - a.score || (a.item === user.positive ? -1 : b.item === user.positive ? 1 : 0));
    const rank = order.findIndex((entry) => entry.item === user.positive) + 1;
    for (const k of ks) {
      const hit = rank <= k ? 1 : 0;
      const values = {
        hr: hit,
        ndcg: hit / Math.log2(rank + 1),
        precision: hit / k,
        recall: hit,
        mrr: hit / rank,
        map: hit / rank,
      };
      for (const name of NAMES) sums[`${name}@${k}`] = (sums[`${name}@${k}`] ?? 0) + values[name];
    }
    const negatives = user.scores.filter((_, c) => c !== at);
    aucSum +=
      negatives.reduce((sum, s) => sum + (positiveScore > s ? 1 : positiveScore === s ? 0.5 : 0), 0) / negatives.length;
  }
  return { evaluated, skipped: document.users.length - evaluated, sums, auc: aucSum / evaluated };
}

function expectAgreement(report: EvalScoresReport, naive: ReturnType<typeof naiveFull>, ks: number[]) {
  expect(report.usersEvaluated).toBe(naive.evaluated);
  expect(report.usersSkipped).toBe(naive.skipped);
  for (const k of ks) {
    for (const name of NAMES) {
      const actual = report.metrics[String(k)][name] as number;
      const expected = naive.sums[`${name}@${k}`] / naive.evaluated;
      if (Math.abs(actual - expected) > 1e-9) expect.fail(`${name}@${k}: eval-scores ${actual} vs naive ${expected}`);
    }
  }
  expect(report.auc as number).toBeCloseTo(naive.auc as number, 9);
}

describe('eval-scores agrees with a naive sort-based implementation', () => {
  it('full ranking: 3,000 random users with tied scores, exclusions and users without positives', async () => {
    const rng = createRng(2024);
    const numItems = 40;
    const users = Array.from({ length: 3000 }, () => {
      const order = rng.shuffle(Array.from({ length: numItems }, (_, i) => i));
      const numPositives = rng.nextInt(6);
      const numExcluded = rng.nextInt(12);
      return {
        // Multiples of 1/8 are exact in float32 and tie often.
        scores: Array.from({ length: numItems }, () => rng.nextInt(16) / 8),
        positives: order.slice(0, numPositives),
        exclude: order.slice(numPositives, numPositives + numExcluded),
      };
    });
    const document = { numItems, users };
    const ks = [1, 3, 10, 50];
    const report = await evaluateScoresDocument(document, ks);
    expect(report.protocol).toBe('full');
    expect(report.usersSkipped).toBeGreaterThan(300);
    expectAgreement(report, naiveFull(document, ks), ks);
  });

  it('sampled: 3,000 random users, 1 positive among 20 candidates at a random position, some without a positive', async () => {
    const rng = createRng(77);
    const users = Array.from({ length: 3000 }, () => {
      const candidates = rng.shuffle(Array.from({ length: 500 }, (_, i) => i)).slice(0, 20);
      return {
        candidates,
        scores: candidates.map(() => rng.nextInt(10) / 4),
        positive: rng.nextInt(10) === 0 ? null : candidates[rng.nextInt(20)],
      };
    });
    const ks = [1, 5, 10];
    const report = await evaluateScoresDocument({ users }, ks);
    expect(report.protocol).toBe('sampled');
    expect(report.tieRule).toBe('strict-greater');
    expectAgreement(report, naiveSampled({ users }, ks) as ReturnType<typeof naiveFull>, ks);
  });
});

describe('eval-scores input errors name the user index and field', () => {
  const full = (users: unknown[]) => ({ numItems: 3, users });
  const good = { scores: [0.1, 0.2, 0.3], positives: [1], exclude: [0] };
  const cases: [string, unknown, string, RegExp][] = [
    [
      'short scores',
      full([good, { ...good, scores: [1, 2] }]),
      'E_SHAPE',
      /users\[1\]\.scores has 2 entries, expected 3/,
    ],
    [
      'null score',
      full([{ ...good, scores: [1, null, 2] }]),
      'E_ARGUMENT',
      /users\[0\]\.scores\[1\] must be a finite number, got null/,
    ],
    [
      'positive out of range',
      full([good, good, { ...good, positives: [3] }]),
      'E_ARGUMENT',
      /users\[2\]\.positives\[0\] must be an item index \(integer in \[0, 3\)\), got 3/,
    ],
    [
      'missing positives',
      full([{ scores: [1, 2, 3] }]),
      'E_ARGUMENT',
      /users\[0\]\.positives must be an array, got nothing/,
    ],
    [
      'duplicate positive',
      full([{ ...good, positives: [1, 1] }]),
      'E_ARGUMENT',
      /users\[0\]\.positives\[1\] = 1 is listed twice/,
    ],
    [
      'excluded positive',
      full([{ ...good, exclude: [2, 1] }]),
      'E_ARGUMENT',
      /users\[0\]\.exclude\[1\] = 1 is also one of users\[0\]\.positives/,
    ],
    ['bad numItems', { numItems: 0, users: [] }, 'E_ARGUMENT', /numItems must be a positive integer/],
    [
      'sampled length mismatch',
      { users: [{ candidates: [1, 2], scores: [1], positive: 1 }] },
      'E_SHAPE',
      /users\[0\]\.scores has 1 entries but users\[0\]\.candidates has 2/,
    ],
    [
      'sampled positive missing from candidates',
      {
        users: [
          { candidates: [1, 2], scores: [1, 2], positive: 1 },
          { candidates: [4, 5], scores: [1, 2], positive: 9 },
        ],
      },
      'E_ARGUMENT',
      /users\[1\]\.positive = 9 is not one of users\[1\]\.candidates/,
    ],
    [
      'sampled uneven candidate lists',
      {
        users: [
          { candidates: [1, 2], scores: [1, 2], positive: 1 },
          { candidates: [4, 5, 6], scores: [1, 2, 3], positive: 4 },
        ],
      },
      'E_SHAPE',
      /users\[1\]\.candidates has 3 entries but users\[0\]\.candidates has 2/,
    ],
    ['unknown protocol', { users: [{ scores: [1] }] }, 'E_ARGUMENT', /cannot tell the protocol/],
  ];
  for (const [name, document, code, pattern] of cases) {
    it(name, async () => {
      let caught: unknown;
      try {
        await evaluateScoresDocument(document, [1]);
      } catch (error) {
        caught = error;
      }
      expect(TrustRecError.isInstance(caught), String(caught)).toBe(true);
      expect((caught as TrustRecError).code).toBe(code);
      expect((caught as Error).message).toMatch(pattern);
    });
  }
});

describe('trustrec eval-scores (through the CLI program)', () => {
  const directory = mkdtempSync(join(tmpdir(), 'trustrec-eval-scores-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    try {
      const code = await runCli(['node', 'trustrec', ...args]);
      return { code, stdout, stderr };
    } finally {
      out.mockRestore();
      err.mockRestore();
    }
  }

  it('prints one JSON document with per-K means, AUC and user counts', async () => {
    const file = join(directory, 'scores.json');
    // User 0: positive 2 ranks 1st (rank 1) among {1, 2, 3} (item 0 excluded). User 1: no positives (skipped).
    writeFileSync(
      file,
      JSON.stringify({
        numItems: 4,
        users: [
          { scores: [9, 1, 5, 2], positives: [2], exclude: [0] },
          { scores: [1, 1, 1, 1], positives: [] },
        ],
      }),
    );
    const { code, stdout } = await run(['eval-scores', file, '--k', '1,2', '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as EvalScoresReport;
    expect(report.usersEvaluated).toBe(1);
    expect(report.usersSkipped).toBe(1);
    expect(report.ks).toEqual([1, 2]);
    expect(report.metrics['1']).toEqual({ hr: 1, ndcg: 1, precision: 1, recall: 1, mrr: 1, map: 1 });
    expect(report.metrics['2'].precision).toBe(0.5);
    expect(report.auc).toBe(1);
  });

  it('exits 2 with the message for malformed input and for a missing file', async () => {
    const file = join(directory, 'bad.json');
    writeFileSync(file, JSON.stringify({ numItems: 2, users: [{ scores: [1], positives: [0] }] }));
    const bad = await run(['eval-scores', file, '--json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/E_SHAPE.*users\[0\]\.scores has 1 entries, expected 2/);
    const missing = await run(['eval-scores', join(directory, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/does not exist/);
    const notJson = join(directory, 'not.json');
    writeFileSync(notJson, '{ nope');
    expect((await run(['eval-scores', notJson])).code).toBe(2);
    const repeated = await run(['eval-scores', file, '--k', '5,5']);
    expect(repeated.code).toBe(2);
    expect(repeated.stderr).toMatch(/--k lists 5 twice/);
  });

  it('runEvalScores defaults to K = 5, 10, 20', async () => {
    const file = join(directory, 'sampled.json');
    writeFileSync(file, JSON.stringify({ users: [{ candidates: [3, 7, 9], scores: [0.2, 0.9, 0.1], positive: 3 }] }));
    const report = await runEvalScores(file);
    expect(report.ks).toEqual([5, 10, 20]);
    expect(report.metrics['5'].mrr).toBeCloseTo(1 / 2, 12);
    expect(report.auc).toBeCloseTo(1 / 2, 12);
  });
});
