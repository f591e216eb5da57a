import { TrustRecError } from '@trustrec/core-linalg';
import { describe, expect, test } from 'vitest';
import { describeDataset } from '../core/describe-dataset.js';
import { generateSyntheticDataset } from './generate-synthetic-dataset.js';

describe('generateSyntheticDataset', () => {
  const options = { numUsers: 300, numItems: 400, factors: 8, seed: 11 };
  const dataset = generateSyntheticDataset(options);

  test('labelled synthetic, seeded, and valid', () => {
    expect(dataset.synthetic).toBe(true);
    expect(dataset.provenance.source).toBe('synthetic');
    expect(describeDataset(dataset).synthetic).toBe(true);
    const again = generateSyntheticDataset(options);
    expect(again.interactions.indices).toEqual(dataset.interactions.indices);
    expect(generateSyntheticDataset({ ...options, seed: 12 }).interactions.indices).not.toEqual(
      dataset.interactions.indices,
    );
    for (let u = 0; u < dataset.numUsers; u++) expect(dataset.interactions.rowNnz(u)).toBeGreaterThanOrEqual(5);
    expect(dataset.timestamps?.length).toBe(dataset.interactions.nnz);
    expect(dataset.implicit).toBe(true);
    expect(Array.from(new Set(dataset.interactions.values))).toEqual([1]);
  });

  test('popularity skew: the 10 % most popular items take far more than 10 % of interactions', () => {
    const counts = Array.from(
      dataset.itemMajor().indptr.subarray(1),
      (end, i) => end - dataset.itemMajor().indptr[i],
    ).sort((a, b) => b - a);
    const top = counts.slice(0, 40).reduce((sum, count) => sum + count, 0);
    expect(top / dataset.interactions.nnz).toBeGreaterThan(0.3);
    const flat = generateSyntheticDataset({ ...options, popularitySkew: 0 });
    const flatCounts = Array.from(
      flat.itemMajor().indptr.subarray(1),
      (end, i) => end - flat.itemMajor().indptr[i],
    ).sort((a, b) => b - a);
    expect(flatCounts.slice(0, 40).reduce((sum, count) => sum + count, 0) / flat.interactions.nnz).toBeLessThan(
      top / dataset.interactions.nnz,
    );
  });

  test('attributes carry signal from the factors (gender = noisy sign of the first factor)', () => {
    const gender = dataset.userAttributes?.columns.find((column) => column.name === 'gender');
    if (!gender || gender.kind === 'numeric') throw new Error('gender missing');
    let agree = 0;
    for (let u = 0; u < dataset.numUsers; u++)
      if ((dataset.truth.userFactors[u * 8] > 0 ? 1 : 0) === gender.codes[u]) agree++;
    expect(agree / dataset.numUsers).toBeGreaterThan(0.75);
    expect(agree / dataset.numUsers).toBeLessThan(1);
    expect(dataset.itemCategories?.matrix.numRows).toBe(400);
    expect(dataset.itemCategories?.names).toHaveLength(8);
  });

  test('explicit ratings are integers 1–5 that follow the factor scores', () => {
    const explicit = generateSyntheticDataset({ ...options, implicit: false });
    expect(explicit.ratingScale).toEqual({ min: 1, max: 5 });
    const { interactions, truth } = explicit;
    let high = 0;
    let highCount = 0;
    let low = 0;
    let lowCount = 0;
    for (let u = 0; u < explicit.numUsers; u++) {
      for (let p = interactions.indptr[u]; p < interactions.indptr[u + 1]; p++) {
        const value = interactions.values[p];
        expect(Number.isInteger(value) && value >= 1 && value <= 5).toBe(true);
        let dot = 0;
        for (let f = 0; f < 8; f++)
          dot += truth.userFactors[u * 8 + f] * truth.itemFactors[interactions.indices[p] * 8 + f];
        if (value >= 4) {
          high += dot;
          highCount++;
        } else {
          low += dot;
          lowCount++;
        }
      }
    }
    expect(high / highCount).toBeGreaterThan(low / lowCount);
  });

  test('bad options are E_ARGUMENT naming the option', () => {
    expect(() => generateSyntheticDataset({ ...options, factors: 0 })).toThrowError(/factors must be an integer/);
    expect(() => generateSyntheticDataset({ ...options, seed: -1 })).toThrowError(/seed/);
  });
});

describe('generateSyntheticDataset options', () => {
  test('a misspelt option name is E_CONFIG instead of generating with the default', () => {
    let error: unknown;
    try {
      generateSyntheticDataset({ numUsers: 5, numItems: 5, factors: 2, seed: 1, skew: 0 } as unknown as Parameters<
        typeof generateSyntheticDataset
      >[0]);
    } catch (caught) {
      error = caught;
    }
    expect(TrustRecError.isInstance(error, 'E_CONFIG')).toBe(true);
    expect((error as Error).message).toContain(
      "generateSyntheticDataset: option 'skew' must be one of the known options",
    );
  });
});
