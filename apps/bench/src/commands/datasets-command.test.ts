import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DatasetSummary } from '@trustrec/datasets';
import { describeWithData } from '@trustrec/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJsonOutput, runTrustrec } from './run-cli.test-helper.js';

// An empty cache folder per run: no earlier download or parsed copy under ~/.cache can answer for the data dir.
const scratch = mkdtempSync(path.join(tmpdir(), 'trustrec-datasets-cli-'));
const cacheDir = path.join(scratch, 'cache');
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * `datasets info <name> --json` on the real files, parsing the originals (no parsed-dataset cache): the data
 * folder comes from TRUSTREC_DATA_DIR (`via: 'env'`) or from --data-dir (`via: 'option'`).
 */
async function info(name: string, dataDir: string, via: 'env' | 'option'): Promise<DatasetSummary> {
  const args = ['datasets', 'info', name, '--json', '--cache-dir', cacheDir, '--no-cache'];
  const run = await runTrustrec(via === 'option' ? [...args, '--data-dir', dataDir] : args, {
    TRUSTREC_DATA_DIR: via === 'env' ? dataDir : undefined,
    TRUSTREC_CACHE_DIR: cacheDir,
  });
  expect(run.code, run.stderr).toBe(0);
  return parseJsonOutput<DatasetSummary>(run);
}

const attributeShapes = (summary: DatasetSummary) =>
  summary.attributes.map((attribute) => ({
    name: attribute.name,
    kind: attribute.kind,
    levels: 'levels' in attribute ? attribute.levels : undefined,
    missing: attribute.missing,
  }));

describe('trustrec datasets list --json', () => {
  it('lists the MovieLens datasets with their folders, download sources and required files', async () => {
    const run = await runTrustrec(['datasets', 'list', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const list = parseJsonOutput<{ name: string; folder: string; url?: string; files: string[] }[]>(run);
    const byName = new Map(list.map((entry) => [entry.name, entry]));
    expect(byName.get('ml-100k')).toMatchObject({
      folder: 'ml-100k',
      url: 'https://files.grouplens.org/datasets/movielens/ml-100k.zip',
      files: ['u.data'],
    });
    expect(byName.get('ml-1m')).toMatchObject({
      folder: 'ml-1m',
      url: 'https://files.grouplens.org/datasets/movielens/ml-1m.zip',
      files: ['ratings.dat | ratings_implicit.dat'],
    });
    expect(byName.has('ml-1m-ncf')).toBe(true);
    expect(new Set(list.map((entry) => entry.name)).size).toBe(list.length);
  });
});

describe('trustrec datasets info: bad input exits 2', () => {
  it('names an unknown dataset and lists the known ones', async () => {
    const run = await runTrustrec([
      'datasets',
      'info',
      'ml-2m',
      '--json',
      '--data-dir',
      scratch,
      '--cache-dir',
      cacheDir,
    ]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/\[E_ARGUMENT\] loadDataset: unknown dataset "ml-2m"; known: ml-100k, ml-1m, /);
  });

  it('says where to put the files when the data dir lacks them', async () => {
    const empty = path.join(scratch, 'empty-data');
    const run = await runTrustrec(
      ['datasets', 'info', 'ml-100k', '--json', '--data-dir', empty, '--cache-dir', cacheDir, '--no-cache'],
      { TRUSTREC_DATA_DIR: undefined },
    );
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      `[E_DATASET_MISSING] dataset ml-100k not found: put u.data in ${path.join(empty, 'ml-100k')} (set TRUSTREC_DATA_DIR or dataDir)`,
    );
    expect(run.stderr).toContain('trustrec datasets fetch ml-100k');
  });

  it('says so when neither --data-dir nor TRUSTREC_DATA_DIR is set', async () => {
    const run = await runTrustrec(['datasets', 'info', 'ml-1m', '--json', '--cache-dir', cacheDir, '--no-cache'], {
      TRUSTREC_DATA_DIR: undefined,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      '[E_DATASET_MISSING] dataset ml-1m not found: put ratings.dat or ratings_implicit.dat in <dataDir>/ml-1m (set TRUSTREC_DATA_DIR or dataDir; neither is set)',
    );
  });
});

describeWithData(
  'trustrec datasets info ml-100k (real files)',
  ['ml-100k/u.data', 'ml-100k/u.user', 'ml-100k/u.item', 'ml-100k/u.occupation'],
  (dataDir) => {
    it('TRUSTREC_DATA_DIR: reports 943 users, 1,682 items, 100,000 ratings 1–5 with timestamps, user attributes and 19 genres', async () => {
      const summary = await info('ml-100k', dataDir, 'env');
      expect(summary).toMatchObject({
        name: 'ml-100k',
        synthetic: false,
        source: 'local',
        users: 943,
        items: 1682,
        interactions: 100_000,
        implicit: false,
        ratingScale: { min: 1, max: 5 },
        // Harper & Konstan's release: every rating is an integer 1–5 (u.info / README counts).
        ratingCounts: { 1: 6110, 2: 11370, 3: 27145, 4: 34174, 5: 21201 },
        // 1997-09-20 … 1998-04-23.
        timestamps: { present: true, min: 874724710, max: 893286638 },
      });
      expect(summary.density).toBeCloseTo(100_000 / (943 * 1682), 12);
      expect(summary.interactionsPerUser.min).toBe(20); // every ML-100K user rated at least 20 movies
      expect(attributeShapes(summary)).toEqual([
        { name: 'gender', kind: 'categorical', levels: 2, missing: 0 },
        { name: 'age', kind: 'numeric', levels: undefined, missing: 0 },
        { name: 'occupation', kind: 'categorical', levels: 21, missing: 0 },
      ]);
      expect(summary.attributes[0]).toMatchObject({ counts: { F: 273, M: 670 } });
      expect(summary.categories?.count).toBe(19);
      expect(Object.keys(summary.categories?.counts ?? {})[0]).toBe('unknown');
      expect(summary.loadReport).toMatchObject({ rowsRead: 100_000, duplicates: 0, rejectedRows: 0, fromCache: false });
      expect(summary.files.map((file) => file.name)).toEqual(['u.data', 'u.occupation', 'u.user', 'u.item']);
    });
  },
);

describeWithData(
  'trustrec datasets info ml-1m (real files)',
  ['ml-1m/ratings_implicit.dat', 'ml-1m/users.dat', 'ml-1m/movies.dat'],
  (dataDir) => {
    // The shared copy holds the implicit pairs only; with the original ratings.dat the loader reads explicit 1–5.
    const implicit = !existsSync(path.join(dataDir, 'ml-1m', 'ratings.dat'));

    it(`--data-dir: reports 6,040 users, 3,706 items, 1,000,209 ${implicit ? 'implicit pairs' : 'ratings'}, user attributes and 18 genres`, async () => {
      const summary = await info('ml-1m', dataDir, 'option');
      expect(summary).toMatchObject({
        name: 'ml-1m',
        source: 'local',
        users: 6040,
        items: 3706,
        interactions: 1_000_209,
      });
      expect(summary.implicit).toBe(implicit);
      if (implicit) {
        expect(summary).toMatchObject({ ratingScale: null, ratingCounts: null, timestamps: { present: false } });
        expect(summary.loadReport.notes[0]).toMatch(
          /^ratings\.dat absent: loaded ratings_implicit\.dat as implicit feedback/,
        );
      } else {
        expect(summary).toMatchObject({ ratingScale: { min: 1, max: 5 }, timestamps: { present: true } });
      }
      expect(summary.interactionsPerUser.min).toBe(20);
      expect(attributeShapes(summary)).toEqual([
        { name: 'gender', kind: 'categorical', levels: 2, missing: 0 },
        { name: 'age', kind: 'ordinal', levels: 7, missing: 0 },
        { name: 'occupation', kind: 'categorical', levels: 21, missing: 0 },
      ]);
      expect(summary.attributes[0]).toMatchObject({ counts: { F: 1709, M: 4331 } });
      expect(summary.categories?.count).toBe(18);
      expect(summary.loadReport).toMatchObject({
        rowsRead: 1_000_209,
        duplicates: 0,
        rejectedRows: 0,
        fromCache: false,
      });
    });
  },
);
