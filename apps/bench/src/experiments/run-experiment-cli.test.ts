import { describe, expect, it } from 'vitest';
import { validateExperimentConfig } from './experiment-config.js';
import { applyOverrides, firstSeeds } from './run-experiment-cli.js';

describe('--seeds n', () => {
  it('takes the first n seeds of the config, then the integers after its largest seed', () => {
    expect(firstSeeds([2, 3, 4, 5, 6], 3)).toEqual([2, 3, 4]);
    expect(firstSeeds([2, 3, 4, 5, 6], 5)).toEqual([2, 3, 4, 5, 6]);
    expect(firstSeeds([2, 3, 4, 5, 6], 7)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(firstSeeds([9, 4], 4)).toEqual([9, 4, 10, 11]);
    expect(firstSeeds([1, 2], 1)).toEqual([1]);
  });

  it('keeps a config that leaves out its tuning seed without it, and leaves everything else as it was', () => {
    const config = validateExperimentConfig({
      name: 'x',
      dataset: { name: 'ml-100k' },
      models: [{ id: 'm', kind: 'bpr' }],
      seeds: [2, 3, 4, 5, 6],
    });
    const overridden = applyOverrides(config, { seeds: 2 });
    expect(overridden.seeds).toEqual([2, 3]);
    expect(config.seeds).toEqual([2, 3, 4, 5, 6]);
    expect({ ...overridden, seeds: config.seeds }).toEqual(config);
    expect(applyOverrides(config, {}).seeds).toEqual([2, 3, 4, 5, 6]);
    // A count in the file means seeds 1..n, so there --seeds n is 1..n as before.
    const counted = validateExperimentConfig({
      name: 'x',
      dataset: { name: 'ml-100k' },
      models: [{ id: 'm', kind: 'bpr' }],
      seeds: 5,
    });
    expect(applyOverrides(counted, { seeds: 3 }).seeds).toEqual([1, 2, 3]);
  });
});
