/**
 * In-place iterative radix-2 complex FFT (Cooley–Tukey) on separate real / imaginary Float64Arrays whose length
 * is a power of two. `inverse` computes the unnormalised inverse transform (divide by n afterwards).
 */
export function fftInPlace(real: Float64Array, imaginary: Float64Array, inverse = false): void {
  const n = real.length;
  if (n !== imaginary.length || (n & (n - 1)) !== 0) {
    throw new RangeError(`fftInPlace: lengths must be equal powers of two, got ${n} and ${imaginary.length}`);
  }
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = real[i];
      real[i] = real[j];
      real[j] = t;
      t = imaginary[i];
      imaginary[i] = imaginary[j];
      imaginary[j] = t;
    }
  }
  const sign = inverse ? 1 : -1;
  for (let length = 2; length <= n; length <<= 1) {
    const half = length >> 1;
    const angle = (sign * 2 * Math.PI) / length;
    // Twiddles computed directly per index (not by recurrence) to keep round-off at O(ε log n).
    for (let k = 0; k < half; k++) {
      const wr = Math.cos(angle * k);
      const wi = Math.sin(angle * k);
      for (let start = 0; start < n; start += length) {
        const a = start + k;
        const b = a + half;
        const xr = real[b] * wr - imaginary[b] * wi;
        const xi = real[b] * wi + imaginary[b] * wr;
        real[b] = real[a] - xr;
        imaginary[b] = imaginary[a] - xi;
        real[a] += xr;
        imaginary[a] += xi;
      }
    }
  }
}
