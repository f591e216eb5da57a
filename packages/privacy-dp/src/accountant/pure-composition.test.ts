import { describe, expect, it } from 'vitest';
import { advancedComposition, basicComposition } from './pure-composition.js';

describe('pure-ε composition', () => {
  it('basic composition sums ε and δ', () => {
    const result = basicComposition([
      { epsilon: 0.5, delta: 0 },
      { epsilon: 1.25, delta: 1e-6 },
      { epsilon: 0.25, delta: 2e-6 },
    ]);
    expect(result.epsilon).toBe(2);
    expect(result.delta).toBeCloseTo(3e-6, 18);
    expect(result.accountant).toBe('basic-composition');
    expect(() => basicComposition([{ epsilon: -1, delta: 0 }])).toThrow(/guarantees\[0\]/);
  });

  it('advanced composition matches Dwork & Roth Thm. 3.20 by hand', () => {
    // k = 100, ε = 0.1, δ' = 1e-5: √(200 ln 1e5)·0.1 + 100·0.1·(e^0.1 − 1) = 4.79852… + 1.05170… = 5.85023…
    const result = advancedComposition({ epsilon: 0.1, count: 100, deltaPrime: 1e-5, delta: 1e-7 });
    const byHand = Math.sqrt(200 * Math.log(1e5)) * 0.1 + 10 * (Math.exp(0.1) - 1);
    expect(Math.abs(result.epsilon - byHand)).toBeLessThan(1e-12);
    expect(Math.abs(result.epsilon - 5.85023)).toBeLessThan(1e-4);
    expect(result.bound).toBe('advanced');
    expect(result.delta).toBeCloseTo(100 * 1e-7 + 1e-5, 15);
  });

  it('falls back to basic composition when that is smaller (few runs, large ε)', () => {
    const result = advancedComposition({ epsilon: 1, count: 3, deltaPrime: 1e-5 });
    expect(result.bound).toBe('basic');
    expect(result.epsilon).toBe(3);
    expect(result.delta).toBe(0);
    expect(result.advancedEpsilon).toBeGreaterThan(3);
  });

  it('refuses an unknown option name with E_CONFIG (a misspelt `delta` counted as δ = 0)', () => {
    expect(() => advancedComposition({ epsilon: 0.1, count: 100, deltaPrime: 1e-6, delt: 1e-5 } as never)).toThrow(
      expect.objectContaining({ code: 'E_CONFIG', details: { option: 'delt', value: 1e-5 } }),
    );
  });
});
