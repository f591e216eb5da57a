import { describe, expect, it } from 'vitest';
import {
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedIncompleteBeta,
  studentTCdf,
  studentTQuantile,
} from './distributions.js';

// Reference values: standard normal / Student-t tables (Abramowitz & Stegun 26.2, 26.7), to the digits printed
// there, and scipy.stats 1.17.1 (norm.cdf, t.cdf, t.ppf) for the full-precision ones.
describe('distributions', () => {
  it('log-gamma at known points', () => {
    expect(logGamma(1)).toBeCloseTo(0, 13);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 9);
  });

  it('normal CDF: table values and far tails', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 13);
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 13);
    expect(normalCdf(-3)).toBeCloseTo(0.0013498980316300933, 15);
    expect(normalCdf(-8) / 6.22096057427174e-16).toBeCloseTo(1, 9);
    expect(1 - normalCdf(5)).toBeCloseTo(2.866515719e-7, 13);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 10);
    expect(normalQuantile(1e-6)).toBeCloseTo(-4.753424308822899, 9);
  });

  it('Student-t quantiles t_{0.975, ν} (the 95% two-sided critical values)', () => {
    const table: [number, number][] = [
      [1, 12.706204736174694],
      [2, 4.302652729749462],
      [5, 2.5705818356363146],
      [10, 2.228138851986274],
      [30, 2.0422724563012378],
      [100, 1.9839715185235518],
    ];
    for (const [df, value] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(value, 9);
  });

  it('Student-t CDF at t = 2 and t = −3.5', () => {
    const table: [number, number, number][] = [
      [1, 0.8524163823495667, 0.08858553278290476],
      [2, 0.908248290463863, 0.036413675027234665],
      [5, 0.9490302605850708, 0.008642215892646679],
      [10, 0.9633059826146299, 0.002863252714942605],
      [30, 0.9726874775185085, 0.0007384037188221266],
    ];
    for (const [df, atTwo, atMinus] of table) {
      expect(studentTCdf(2, df)).toBeCloseTo(atTwo, 12);
      expect(studentTCdf(-3.5, df)).toBeCloseTo(atMinus, 13);
    }
    // ν = 1 is Cauchy: F(t) = ½ + atan(t)/π.
    expect(studentTCdf(0.7, 1)).toBeCloseTo(0.5 + Math.atan(0.7) / Math.PI, 13);
    // Large ν approaches the normal.
    expect(studentTCdf(1.5, 1e7)).toBeCloseTo(normalCdf(1.5), 7);
  });

  it('incomplete beta: I_x(1, 1) = x and symmetry I_x(a, b) = 1 − I_{1−x}(b, a)', () => {
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(regularizedIncompleteBeta(0.2, 2.5, 4) + regularizedIncompleteBeta(0.8, 4, 2.5)).toBeCloseTo(1, 13);
    expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow(/0 ≤ x ≤ 1/);
  });
});
