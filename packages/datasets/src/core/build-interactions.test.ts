import { TrustRecError } from '@trustrec/core-linalg';
import { describe, expect, test } from 'vitest';
import { buildInteractions, type DuplicatePairPolicy } from './build-interactions.js';

// Entries in input order: (user, item, value, time); (0,1) appears three times.
const users = Int32Array.from([1, 0, 0, 1, 0]);
const items = Int32Array.from([0, 1, 2, 2, 1]);
const values = Float32Array.from([5, 3, 4, 1, 2]);
const times = Float64Array.from([10, 20, 30, 40, 50]);
const lines = Int32Array.from([1, 2, 3, 4, 5]);

function build(duplicates: DuplicatePairPolicy) {
  return buildInteractions({
    numUsers: 2,
    numItems: 3,
    users,
    items,
    values,
    timestamps: times,
    count: 5,
    duplicates,
    lines,
    file: 'f.tsv',
  });
}

describe('buildInteractions', () => {
  test('sorted CSR rows with timestamps carried to the same positions', () => {
    const { matrix, timestamps, duplicateCount } = build('keep-last');
    expect(Array.from(matrix.indptr)).toEqual([0, 2, 4]);
    expect(Array.from(matrix.indices)).toEqual([1, 2, 0, 2]);
    expect(Array.from(matrix.values)).toEqual([2, 4, 5, 1]);
    expect(Array.from(timestamps as Float64Array)).toEqual([50, 30, 10, 40]);
    expect(duplicateCount).toBe(1);
  });

  test('keep-first keeps the first value and its time; sum adds values and keeps the latest time', () => {
    const first = build('keep-first');
    expect(first.matrix.get(0, 1)).toBe(3);
    expect(first.timestamps?.[0]).toBe(20);
    const summed = build('sum');
    expect(summed.matrix.get(0, 1)).toBe(5);
    expect(summed.timestamps?.[0]).toBe(50);
  });

  test('error names both source lines and the file', () => {
    const error = (() => {
      try {
        build('error');
      } catch (caught) {
        return caught;
      }
    })();
    expect(TrustRecError.isInstance(error, 'E_DATASET_PARSE')).toBe(true);
    expect((error as Error).message).toContain('f.tsv: lines 2 and 5');
  });

  test('an unknown policy is E_ARGUMENT', () => {
    expect(() => build('latest' as DuplicatePairPolicy)).toThrowError(/duplicates must be one of/);
  });
});

describe('buildInteractions input checks', () => {
  const thrown = (action: () => unknown): TrustRecError => {
    try {
      action();
    } catch (caught) {
      return caught as TrustRecError;
    }
    return undefined as unknown as TrustRecError;
  };
  const input = (changes: Partial<Parameters<typeof buildInteractions>[0]>) => ({
    numUsers: 2,
    numItems: 3,
    users,
    items,
    values,
    timestamps: times,
    count: 5,
    duplicates: 'keep-last' as const,
    ...changes,
  });

  test('a user or item index outside the matrix is E_ARGUMENT naming the entry, not a dropped or misplaced entry', () => {
    const cases: [Partial<Parameters<typeof buildInteractions>[0]>, string][] = [
      [{ users: Int32Array.from([1, 0, 2, 1, 0]) }, 'users[2] = 2 is outside [0, 2)'],
      [{ users: Int32Array.from([1, 0, 0, -1, 0]) }, 'users[3] = -1 is outside [0, 2)'],
      [{ users: Int32Array.from([1, 0, 0, 1, -7]) }, 'users[4] = -7 is outside [0, 2)'],
      [{ items: Int32Array.from([0, 1, 3, 2, 1]) }, 'items[2] = 3 is outside [0, 3)'],
      [{ items: Int32Array.from([-1, 1, 2, 2, 1]) }, 'items[0] = -1 is outside [0, 3)'],
      [{ items: Int32Array.from([0, 1, 2, 2, -5]) }, 'items[4] = -5 is outside [0, 3)'],
    ];
    for (const [changes, message] of cases) {
      const error = thrown(() => buildInteractions(input(changes)));
      expect(TrustRecError.isInstance(error, 'E_ARGUMENT'), message).toBe(true);
      expect(error.message).toContain(`buildInteractions: ${message}`);
    }
  });

  test('columns shorter than count are E_SHAPE; count and sizes must be integers', () => {
    const short = thrown(() => buildInteractions(input({ values: values.subarray(0, 4) })));
    expect(TrustRecError.isInstance(short, 'E_SHAPE')).toBe(true);
    expect(short.message).toContain('values has length 4, shorter than count = 5');
    const shortTimes = thrown(() => buildInteractions(input({ timestamps: times.subarray(0, 3) })));
    expect(shortTimes.message).toContain('timestamps has length 3');
    expect(
      TrustRecError.isInstance(
        thrown(() => buildInteractions(input({ count: 2.5 }))),
        'E_ARGUMENT',
      ),
    ).toBe(true);
    // A count below the array lengths (over-allocated columns) stays valid.
    expect(buildInteractions(input({ count: 3 })).matrix.nnz).toBe(3);
  });
});
