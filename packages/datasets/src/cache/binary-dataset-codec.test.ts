import { TrustRecError } from '@trustrec/core-linalg';
import { describe, expect, test } from 'vitest';
import { generateSyntheticDataset } from '../synthetic/generate-synthetic-dataset.js';
import { decodeDataset, encodeDataset } from './binary-dataset-codec.js';

describe('binary dataset codec', () => {
  test('round trip keeps every array, id, attribute and report field', () => {
    const dataset = generateSyntheticDataset({ numUsers: 50, numItems: 80, factors: 3, seed: 1, implicit: false });
    const decoded = decodeDataset(encodeDataset(dataset), 12);
    expect(decoded.interactions.indptr).toEqual(dataset.interactions.indptr);
    expect(decoded.interactions.values).toEqual(dataset.interactions.values);
    expect(decoded.timestamps).toEqual(dataset.timestamps);
    expect(decoded.userIds).toEqual(dataset.userIds);
    expect(decoded.userAttributes).toEqual(dataset.userAttributes);
    expect(decoded.itemCategories?.matrix.indices).toEqual(dataset.itemCategories?.matrix.indices);
    expect(decoded.ratingScale).toEqual({ min: 1, max: 5 });
    expect(decoded.synthetic).toBe(true);
    expect(decoded.loadReport.fromCache).toBe(true);
    expect(decoded.provenance.source).toBe('cache');
  });

  test('foreign or truncated blobs are E_FORMAT', () => {
    const bytes = encodeDataset(generateSyntheticDataset({ numUsers: 10, numItems: 20, factors: 2, seed: 1 }));
    for (const broken of [new Uint8Array(4), bytes.slice(0, 40), bytes.slice(0, bytes.length - 16)]) {
      const error = (() => {
        try {
          decodeDataset(broken);
        } catch (caught) {
          return caught;
        }
      })();
      expect(TrustRecError.isInstance(error, 'E_FORMAT')).toBe(true);
    }
  });
});
