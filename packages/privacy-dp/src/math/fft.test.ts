import { describe, expect, it } from 'vitest';
import { fftInPlace } from './fft.js';

describe('fftInPlace', () => {
  it('matches the direct DFT and inverts', () => {
    const n = 16;
    const real = Float64Array.from({ length: n }, (_, i) => Math.sin(i) + i / 7);
    const imaginary = Float64Array.from({ length: n }, (_, i) => Math.cos(3 * i));
    const re = real.slice();
    const im = imaginary.slice();
    fftInPlace(re, im);
    for (let k = 0; k < n; k++) {
      let sr = 0;
      let si = 0;
      for (let t = 0; t < n; t++) {
        const angle = (-2 * Math.PI * k * t) / n;
        sr += real[t] * Math.cos(angle) - imaginary[t] * Math.sin(angle);
        si += real[t] * Math.sin(angle) + imaginary[t] * Math.cos(angle);
      }
      expect(Math.abs(re[k] - sr)).toBeLessThan(1e-12);
      expect(Math.abs(im[k] - si)).toBeLessThan(1e-12);
    }
    fftInPlace(re, im, true);
    for (let t = 0; t < n; t++) expect(Math.abs(re[t] / n - real[t])).toBeLessThan(1e-14);
  });

  it('convolves two PMFs circularly', () => {
    const n = 8;
    const a = Float64Array.from([0.5, 0.5, 0, 0, 0, 0, 0, 0]);
    const ai = new Float64Array(n);
    fftInPlace(a, ai);
    // Square in frequency space: (½δ₀ + ½δ₁)^{*2} = ¼δ₀ + ½δ₁ + ¼δ₂.
    for (let k = 0; k < n; k++) {
      const r = a[k] * a[k] - ai[k] * ai[k];
      ai[k] = 2 * a[k] * ai[k];
      a[k] = r;
    }
    fftInPlace(a, ai, true);
    expect([a[0] / n, a[1] / n, a[2] / n, a[3] / n].map((x) => Math.round(x * 1e12) / 1e12)).toEqual([
      0.25, 0.5, 0.25, 0,
    ]);
  });
});
