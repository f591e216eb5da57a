import { it } from 'vitest';
import { DEFAULT_RDP_ORDERS, rdpSampledGaussian } from './accountant/index.js';
it('p', () => {
  for (const [q, s] of [[0.004, 1.1], [0.05, 0.7], [0.3, 3], [0.5, 0.3], [0.9, 0.5], [0.99, 0.1]]) {
    const bad = DEFAULT_RDP_ORDERS.filter((a) => !Number.isFinite(rdpSampledGaussian(q, s, a)));
    console.log(q, s, bad.join(','));
  }
});
