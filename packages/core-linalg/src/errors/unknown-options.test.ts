import { describe, expect, it } from 'vitest';
import { describeOptionValue, optionNames, rejectUnknownOptions } from './unknown-options.js';

describe('rejectUnknownOptions', () => {
  const known = optionNames<{ seed: number; order?: 'random' | 'time' }>({ seed: true, order: true });

  it('accepts known names, and unknown names whose value is undefined (absent options)', () => {
    expect(known).toEqual(['seed', 'order']);
    expect(() => rejectUnknownOptions('f', { seed: 1, order: 'time' }, known)).not.toThrow();
    expect(() => rejectUnknownOptions('f', {}, known)).not.toThrow();
    expect(() => rejectUnknownOptions('f', { seed: 1, sed: undefined }, known)).not.toThrow();
  });

  it('refuses a misspelt name with E_CONFIG naming the function, the option, the known names and the value', () => {
    expect(() => rejectUnknownOptions('leaveOneOutSplit', { seed: 1, ordr: 'time' }, known)).toThrow(
      expect.objectContaining({
        code: 'E_CONFIG',
        message: `leaveOneOutSplit: option 'ordr' must be one of the known options (seed, order), got "time"`,
        details: { option: 'ordr', value: 'time' },
      }),
    );
    expect(() => rejectUnknownOptions('f', { numNegative: 99 }, ['numNegatives'], 'candidates')).toThrow(
      expect.objectContaining({
        message: `f: option 'candidates.numNegative' must be one of the known options (numNegatives), got 99`,
        details: { option: 'candidates.numNegative', value: 99 },
      }),
    );
  });

  it('refuses options that are not a plain object', () => {
    for (const options of [null, 3, 'seed', [1]]) {
      expect(() => rejectUnknownOptions('f', options, known)).toThrow(
        expect.objectContaining({
          code: 'E_CONFIG',
          message: `f: options must be an object with the keys seed, order, got ${describeOptionValue(options)}`,
        }),
      );
    }
  });

  it('shows values by kind, never dumping a large one', () => {
    expect(describeOptionValue('a')).toBe('"a"');
    expect(describeOptionValue(2.5)).toBe('2.5');
    expect(describeOptionValue(undefined)).toBe('undefined');
    expect(describeOptionValue(null)).toBe('null');
    expect(describeOptionValue(() => 1)).toBe('a function');
    expect(describeOptionValue([1, 2, 3])).toBe('an array of 3');
    expect(describeOptionValue(new Float32Array(1e6))).toBe('a Float32Array');
    expect(describeOptionValue({ big: new Array(1e5).fill(0) })).toBe('an object');
  });
});
