import { test, expect } from 'vitest';
import { loadMovieLens100k } from './movielens-100k.js';
import { loadMovieLens1m } from './movielens-1m.js';
test('smoke', async () => {
  let t = performance.now();
  const a = await loadMovieLens100k('/work/shared/datasets/ml-100k');
  console.log('100k', performance.now() - t, a.numUsers, a.numItems, a.interactions.nnz, a.loadReport.notes);
  t = performance.now();
  const b = await loadMovieLens1m('/work/shared/datasets/ml-1m');
  console.log('1m', performance.now() - t, b.numUsers, b.numItems, b.interactions.nnz, b.loadReport.notes, b.userIds.slice(0,3), b.itemIds.slice(0,3));
  expect(1).toBe(1);
});
