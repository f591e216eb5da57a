import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TrustRecError } from '@trustrec/core-linalg';
import { describeWithData } from '@trustrec/test-utils';
import { beforeAll, expect, test } from 'vitest';
import type { Dataset } from '../core/dataset.js';
import { describeDataset } from '../core/describe-dataset.js';
import { leaveOneOutSplit } from '../splits/leave-one-out-split.js';
import type { Split } from '../splits/split.js';
import { loadDataset, loadNcfSplit } from './load-dataset.js';

/** Byte-equal typed arrays (vitest's deep equality is slow on a million elements). */
function sameBytes(a: ArrayBufferView | undefined, b: ArrayBufferView | undefined): boolean {
  if (!a || !b) return a === b;
  return (
    Buffer.compare(
      Buffer.from(a.buffer, a.byteOffset, a.byteLength),
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    ) === 0
  );
}

const cacheDir = mkdtempSync(path.join(tmpdir(), 'trustrec-datasets-test-'));

describeWithData('MovieLens 100K (real files)', ['ml-100k/u.data', 'ml-100k/u.user', 'ml-100k/u.item'], (dataDir) => {
  let dataset: Dataset;
  beforeAll(async () => {
    dataset = await loadDataset('ml-100k', { dataDir, cacheDir });
  });

  test('published sizes, scale, timestamps, attributes and 19 genres (the "Done when" numbers)', () => {
    const summary = describeDataset(dataset);
    expect([summary.users, summary.items, summary.interactions]).toEqual([943, 1682, 100_000]);
    expect(summary.ratingScale).toEqual({ min: 1, max: 5 });
    expect(summary.ratingCounts).toEqual({ 1: 6110, 2: 11370, 3: 27145, 4: 34174, 5: 21201 });
    expect(summary.timestamps).toEqual({ present: true, min: 874724710, max: 893286638 });
    expect(summary.attributes.map((attribute) => attribute.name)).toEqual(['gender', 'age', 'occupation']);
    expect(summary.attributes[0]).toMatchObject({ counts: { F: 273, M: 670 }, missing: 0 });
    expect(summary.attributes[1]).toMatchObject({ kind: 'numeric', min: 7, max: 73 });
    expect(summary.attributes[2]).toMatchObject({ levels: 21, counts: { student: 196, doctor: 7 } });
    expect(summary.categories?.count).toBe(19);
    expect(summary.categories?.counts).toMatchObject({ Drama: 725, Comedy: 505, unknown: 2, Fantasy: 22 });
    expect([summary.interactionsPerUser.min, summary.interactionsPerUser.max, summary.interactionsPerItem.max]).toEqual(
      [20, 737, 583],
    );
  });

  test('dense index = raw id − 1, the first u.data row is where it belongs, timestamps aligned', () => {
    expect(dataset.userIds[0]).toBe('1');
    expect(dataset.itemIds[1681]).toBe('1682');
    expect(dataset.userIndex('196')).toBe(195);
    // u.data line 1: 196 242 3 881250949
    expect(dataset.interactions.get(195, 241)).toBe(3);
    const row = dataset.interactions.row(195);
    const position = dataset.interactions.indptr[195] + Array.from(row.indices).indexOf(241);
    expect(dataset.timestamps?.[position]).toBe(881250949);
    expect(dataset.provenance.files[0]).toMatchObject({
      name: 'u.data',
      sha256: '06416e597f82b7342361e41163890c81036900f418ad91315590814211dca490',
    });
  });

  test("leave-one-out on real timestamps holds out each user's latest rating", () => {
    const split = leaveOneOutSplit(dataset, { seed: 1 });
    expect(split.test.nnz).toBe(943);
    expect(split.train.nnz).toBe(99_057);
    const timestamps = dataset.timestamps as Float64Array;
    for (const user of [0, 100, 942]) {
      const start = dataset.interactions.indptr[user];
      const end = dataset.interactions.indptr[user + 1];
      let latest = 0;
      for (let p = start; p < end; p++) latest = Math.max(latest, timestamps[p]);
      const heldOut = split.test.indices[split.test.indptr[user]];
      const position = start + Array.from(dataset.interactions.row(user).indices).indexOf(heldOut);
      expect(timestamps[position]).toBe(latest);
    }
  });
});

describeWithData(
  'MovieLens 1M and the NCF split (real files)',
  ['ml-1m/ratings_implicit.dat', 'ml-1m/users.dat', 'ml-1m/movies.dat', 'ml-1m/ncf/ml-1m.test.rating'],
  (dataDir) => {
    let dataset: Dataset;
    let parseMs = 0;
    beforeAll(async () => {
      const started = performance.now();
      dataset = await loadDataset('ml-1m', { dataDir, cacheDir });
      parseMs = performance.now() - started;
    });

    test('published sizes, implicit, gender/age/occupation, 18 genres', () => {
      const summary = describeDataset(dataset);
      expect([summary.users, summary.items, summary.interactions]).toEqual([6040, 3706, 1_000_209]);
      expect(summary.implicit).toBe(true);
      expect(summary.ratingScale).toBeNull();
      expect(summary.timestamps.present).toBe(false);
      expect(summary.attributes[0]).toMatchObject({ name: 'gender', counts: { M: 4331, F: 1709 } });
      expect(summary.attributes[1]).toMatchObject({
        name: 'age',
        kind: 'ordinal',
        counts: { 1: 222, 18: 1103, 25: 2096, 35: 1193, 45: 550, 50: 496, 56: 380 },
      });
      expect(summary.attributes[2]).toMatchObject({
        name: 'occupation',
        levels: 21,
        counts: { other: 711, farmer: 17, writer: 281 },
      });
      expect(summary.categories?.count).toBe(18);
      expect([
        summary.interactionsPerUser.min,
        summary.interactionsPerUser.max,
        summary.interactionsPerItem.min,
        summary.interactionsPerItem.max,
      ]).toEqual([20, 2314, 1, 3428]);
      expect(dataset.loadReport.notes.join(' ')).toContain('ratings.dat absent');
      expect(dataset.loadReport.notes.join(' ')).toContain('177 listed movie(s) have no ratings');
    });

    test('the binary cache returns identical arrays, well under a second', async () => {
      const started = performance.now();
      const cached = await loadDataset('ml-1m', { dataDir, cacheDir });
      const cachedMs = performance.now() - started;
      expect(cached.loadReport.fromCache || dataset.loadReport.fromCache).toBe(true);
      expect(cachedMs).toBeLessThan(1000);
      expect(sameBytes(cached.interactions.indptr, dataset.interactions.indptr)).toBe(true);
      expect(sameBytes(cached.interactions.indices, dataset.interactions.indices)).toBe(true);
      expect(sameBytes(cached.interactions.values, dataset.interactions.values)).toBe(true);
      expect(cached.itemIds).toEqual(dataset.itemIds);
      expect(cached.userAttributes?.columns[1]).toEqual(dataset.userAttributes?.columns[1]);
      expect(sameBytes(cached.itemCategories?.matrix.indices, dataset.itemCategories?.matrix.indices)).toBe(true);
      expect(parseMs).toBeGreaterThan(0);
    });

    test('loadNcfSplit reproduces the published split: 994,169 train, 6,040 test, 99 negatives, NCF id mapping', async () => {
      const { dataset: ncf, split } = await loadNcfSplit({ dataDir, cacheDir });
      expect(ncf.name).toBe('ml-1m-ncf');
      expect(split.train.nnz).toBe(994_169);
      expect(split.test.nnz).toBe(6040);
      const candidates = split.candidates as NonNullable<Split['candidates']>;
      expect(candidates.numCandidates).toBe(100);
      expect(candidates.users.length).toBe(6040);
      // ml-1m.test.rating line 1: user 0, item 25; NCF item 25 is the 26th MovieID in file order.
      expect(candidates.users[0]).toBe(0);
      expect(candidates.items[0]).toBe(25);
      expect(candidates.items.subarray(1, 4)).toEqual(Int32Array.from([1064, 174, 2791]));
      expect(split.test.get(0, 25)).toBe(1);
      expect(split.train.has(0, 25)).toBe(false);
      expect(ncf.itemIds.slice(0, 3)).toEqual(['1193', '661', '914']);
      // Negatives are never training items of the user; 156 rows list the positive among them (documented quirk).
      let positiveAmongNegatives = 0;
      let trainingNegatives = 0;
      for (let row = 0; row < candidates.users.length; row++) {
        const user = candidates.users[row];
        for (let t = 1; t < 100; t++) {
          const item = candidates.items[row * 100 + t];
          if (split.train.has(user, item)) trainingNegatives++;
          if (item === candidates.items[row * 100]) positiveAmongNegatives++;
        }
      }
      expect(trainingNegatives).toBe(0);
      expect(positiveAmongNegatives).toBe(156);
      expect(split.description.notes.join(' ')).toContain('156 candidate row(s)');
    });
  },
);

test('a missing dataset says where to put the files', async () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'trustrec-empty-'));
  const error = await loadDataset('ml-100k', { dataDir: empty, cacheDir }).catch((caught: unknown) => caught);
  expect(TrustRecError.isInstance(error, 'E_DATASET_MISSING')).toBe(true);
  expect((error as Error).message).toContain(path.join(empty, 'ml-100k'));
  expect((error as Error).message).toContain('trustrec datasets fetch ml-100k');
});
