import { describe, expect, it } from 'vitest';
import { epsilonAtOrder, rdpToDelta, rdpToEpsilon } from './rdp-conversion.js';

describe('rdpToEpsilon', () => {
  it('matches dp_accounting for constant RDP 1.1 at orders 2…32, δ = 1e-5 → ε = 1.32783806176 at order 32', () => {
    // google/differential-privacy dp_accounting rdp_privacy_accountant_test.py, test_compute_epsilon_delta_pure_dp
    // ("Compare with epsilon computed by hand"): 1.1 + log(31/32) − (log(1e-5) + log 32)/31.
    const orders = Array.from({ length: 31 }, (_, i) => i + 2);
    const rdp = orders.map(() => 1.1);
    const result = rdpToEpsilon(orders, rdp, 1e-5);
    expect(Math.abs(result.epsilon - 1.32783806176)).toBeLessThan(1e-10);
    expect(result.order).toBe(32);
    expect(result.atGridEdge).toBe('highest');
    const inverse = rdpToDelta(orders, rdp, 1.32783806176);
    expect(Math.abs(inverse.delta - 1e-5) / 1e-5).toBeLessThan(1e-9);
    expect(inverse.order).toBe(32);
  });

  it('computes the classic conversion RDP(α) + log(1/δ)/(α−1) by hand', () => {
    const result = rdpToEpsilon([2, 4, 8], [0.5, 1, 2], 1e-3, 'classic');
    const byHand = Math.min(0.5 + Math.log(1e3) / 1, 1 + Math.log(1e3) / 3, 2 + Math.log(1e3) / 7);
    expect(result.epsilon).toBe(byHand);
    expect(result.order).toBe(8); // 0.5 + 6.91, 1 + 2.30, 2 + 0.987: the last wins
    expect(result.conversion).toBe('classic');
  });

  it('improved is never worse than classic at the same order', () => {
    const orders = [1.5, 2, 3, 5, 10, 50];
    const rdp = orders.map((alpha) => alpha / 8);
    for (const delta of [1e-3, 1e-6, 1e-10]) {
      expect(rdpToEpsilon(orders, rdp, delta).epsilon).toBeLessThanOrEqual(
        rdpToEpsilon(orders, rdp, delta, 'classic').epsilon,
      );
    }
  });

  it('skips infinite orders and reports +Infinity when all are infinite', () => {
    expect(rdpToEpsilon([2, 3], [Number.POSITIVE_INFINITY, 0.3], 1e-5).order).toBe(3);
    expect(rdpToEpsilon([2], [Number.POSITIVE_INFINITY], 1e-5).epsilon).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('argument checks', () => {
  it('rdpToDelta refuses grids rdpToEpsilon refuses (it read past the end and returned δ = 1 for an empty grid)', () => {
    for (const [orders, rdp] of [
      [[2, 3, 4], [1]],
      [[], []],
      [
        [0.5, 2],
        [1, 1],
      ],
    ] as const) {
      expect(() => rdpToDelta(orders, rdp, 1), JSON.stringify(orders)).toThrow(
        expect.objectContaining({ code: 'E_ARGUMENT', message: expect.stringMatching(/^rdpToDelta: /) }),
      );
    }
  });

  it('refuses a conversion other than improved / classic', () => {
    for (const call of [
      () => rdpToEpsilon([2], [1], 1e-5, 'Classic' as never),
      () => rdpToDelta([2], [1], 1, 'tight' as never),
      () => epsilonAtOrder(1, 2, 1e-5, 'clasic' as never),
    ]) {
      expect(call).toThrow(
        expect.objectContaining({ code: 'E_ARGUMENT', details: expect.objectContaining({ option: 'conversion' }) }),
      );
    }
  });

  it('epsilonAtOrder checks its order, δ and RDP value and agrees with the formulas', () => {
    expect(epsilonAtOrder(1, 2, 1e-3, 'classic')).toBe(1 + Math.log(1e3));
    expect(epsilonAtOrder(1, 2, 1e-3, 'improved')).toBe(1 + Math.log1p(-1 / 2) - (Math.log(1e-3) + Math.log(2)));
    expect(epsilonAtOrder(Number.POSITIVE_INFINITY, 2, 1e-3, 'classic')).toBe(Number.POSITIVE_INFINITY);
    for (const [call, option] of [
      [() => epsilonAtOrder(1, 0.5, 1e-5, 'classic'), 'order'],
      [() => epsilonAtOrder(1, 1, 1e-5, 'classic'), 'order'],
      [() => epsilonAtOrder(1, 2, 2, 'classic'), 'delta'],
    ] as const) {
      expect(call, option).toThrow(
        expect.objectContaining({ code: 'E_ARGUMENT', details: expect.objectContaining({ option }) }),
      );
    }
    expect(() => epsilonAtOrder(Number.NaN, 2, 1e-5, 'classic')).toThrow(
      expect.objectContaining({ code: 'E_NUMERIC', details: expect.objectContaining({ option: 'rdp' }) }),
    );
  });
});
