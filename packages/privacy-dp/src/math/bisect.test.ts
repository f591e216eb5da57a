import { describe, expect, it } from 'vitest';
import { bisect } from './bisect.js';

describe('bisect', () => {
  it('brackets √2 with the predicate true at the upper end', () => {
    const { lower, upper } = bisect((x) => x * x >= 2, 1, 2, { relativeTolerance: 1e-14 });
    expect(upper * upper).toBeGreaterThanOrEqual(2);
    expect(lower * lower).toBeLessThan(2);
    expect(Math.abs(upper - Math.SQRT2)).toBeLessThan(1e-13);
  });
  it('bisects geometrically across orders of magnitude', () => {
    const { upper, iterations } = bisect((x) => x >= 1234.5, 1e-6, 1e6, { geometric: true, relativeTolerance: 1e-10 });
    expect(Math.abs(upper - 1234.5) / 1234.5).toBeLessThan(1e-9);
    expect(iterations).toBeLessThan(80);
  });
});
