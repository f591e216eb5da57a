import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { dataDirectory, datasetPath, describeWithData } from './data-dir.js';

// describeWithData decides at collection time, so the data folder is prepared synchronously here. This file
// runs in its own process, so setting TRUSTREC_DATA_DIR affects nobody else.
const original = process.env.TRUSTREC_DATA_DIR;
const root = mkdtempSync(path.join(tmpdir(), 'trustrec-data-'));
mkdirSync(path.join(root, 'ml-100k'));
writeFileSync(path.join(root, 'ml-100k', 'u.data'), '1\t2\t3\t4\n');
process.env.TRUSTREC_DATA_DIR = root;

afterAll(() => {
  if (original === undefined) delete process.env.TRUSTREC_DATA_DIR;
  else process.env.TRUSTREC_DATA_DIR = original;
});

let ranWithData = '';
describeWithData('present data', ['ml-100k/u.data'], (dataDir) => {
  test('runs with the data directory', () => {
    ranWithData = dataDir;
    expect(dataDir).toBe(path.resolve(root));
  });
});

let ranWithoutData = false;
describeWithData('absent data', ['ml-1m/ratings.dat'], () => {
  test('never runs', () => {
    ranWithoutData = true;
  });
});

describe('dataDirectory / datasetPath', () => {
  test('resolve files under TRUSTREC_DATA_DIR and report absent ones as undefined', () => {
    expect(dataDirectory()).toBe(path.resolve(root));
    expect(datasetPath('ml-100k', 'u.data')).toBe(path.join(path.resolve(root), 'ml-100k', 'u.data'));
    expect(datasetPath('ml-1m', 'ratings.dat')).toBeUndefined();
  });

  test('a TRUSTREC_DATA_DIR that does not exist gives undefined', () => {
    process.env.TRUSTREC_DATA_DIR = path.join(root, 'missing');
    try {
      expect(dataDirectory()).toBeUndefined();
      expect(datasetPath('ml-100k', 'u.data')).toBeUndefined();
    } finally {
      process.env.TRUSTREC_DATA_DIR = root;
    }
  });

  test('the suite with data ran and the one without was skipped', () => {
    expect(ranWithData).toBe(path.resolve(root));
    expect(ranWithoutData).toBe(false);
  });
});
