import { TrustRecError } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RDP_ORDERS } from './default-orders.js';
import { RdpAccountant, computeSampledGaussianEpsilon } from './rdp-accountant.js';

const MNIST_Q = 256 / 60000;
const MNIST_STEPS_PER_EPOCH = Math.floor(60000 / 256); // 234, as in the tutorial's `60000 // batch_size`

describe('RdpAccountant — published reference values', () => {
  it('matches Opacus: q = 0.04, σ = 1.5, 2250 steps, δ = 1e-5 → ε = 7.32911117143 (improved conversion)', () => {
    // pytorch/opacus opacus/tests/accountants_test.py, test_rdp_accountant: assertAlmostEqual(epsilon, 7.32911117143).
    const result = computeSampledGaussianEpsilon({
      samplingRate: 0.04,
      noiseMultiplier: 1.5,
      steps: 2250,
      delta: 1e-5,
    });
    expect(Math.abs(result.epsilon - 7.32911117143)).toBeLessThan(1e-8);
    expect(result.order).toBe(3.9);
    expect(result.accountant).toBe('rdp');
    expect(result.conversion).toBe('improved');
    expect(result.atGridEdge).toBeNull();
  });

  it.each([
    // tensorflow/privacy tutorials/README.md "Expected Output" and "Select Parameters" table (ε at δ = 1e-5,
    // printed with two decimals), computed there by TF Privacy's rdp_accountant with the classic conversion,
    // q = 256/60000, steps = epochs · (60000 // 256), orders [1 + x/10 for x in 1..99] + [12..63].
    [1.12, 60, 2.92],
    [1.12, 1, 1.0],
    [1.12, 2, 1.04],
    [1.2, 10, 1.2],
  ])(
    'matches the TF Privacy MNIST tutorial: σ = %d, %d epochs → ε = %d (classic conversion)',
    (sigma, epochs, published) => {
      const result = computeSampledGaussianEpsilon({
        samplingRate: MNIST_Q,
        noiseMultiplier: sigma,
        steps: epochs * MNIST_STEPS_PER_EPOCH,
        delta: 1e-5,
        conversion: 'classic',
      });
      expect(Math.abs(result.epsilon - published)).toBeLessThanOrEqual(0.005);
    },
  );

  it('gives the MNIST tutorial setting a smaller ε with the improved conversion than with the classic one', () => {
    const run = { samplingRate: MNIST_Q, noiseMultiplier: 1.1, steps: 60 * MNIST_STEPS_PER_EPOCH, delta: 1e-5 };
    const classic = computeSampledGaussianEpsilon({ ...run, conversion: 'classic' });
    const improved = computeSampledGaussianEpsilon(run);
    // σ = 1.1 (the brief's variant of the σ = 1.12 default) gives ε ≈ 3.01 with the classic conversion.
    expect(Math.abs(classic.epsilon - 3.0059)).toBeLessThan(1e-3);
    expect(improved.epsilon).toBeLessThan(classic.epsilon);
    expect(improved.epsilon).toBeGreaterThan(classic.epsilon - 0.5);
  });

  it('matches dp_accounting: q = 1, σ = 4.530877117 is (1, 1e-6)-DP over orders 1.001…99.999', () => {
    // google/differential-privacy dp_accounting rdp_privacy_accountant_test.py, test_compute_epsilon_delta_gaussian:
    // "noise multiplier is chosen to obtain exactly (1,1e-6)-DP"; assertAlmostEqual(eps, 1) and (delta, 1e-6).
    const orders: number[] = [];
    for (let i = 1001; i < 100000; i++) orders.push(0.001 * i);
    const accountant = new RdpAccountant({ orders }).composeGaussian({ noiseMultiplier: 4.530877117 });
    expect(Math.abs(accountant.getEpsilon(1e-6).epsilon - 1)).toBeLessThan(5e-8);
    expect(Math.abs(accountant.getDelta(1).delta - 1e-6)).toBeLessThan(1e-13);
  });
});

describe('RdpAccountant — closed forms and invariants', () => {
  it('matches the closed-form optimum of the classic conversion for the Gaussian mechanism (q = 1)', () => {
    // RDP = Tα/(2σ²); min over α of Tα/(2σ²) + log(1/δ)/(α−1) is at α* = 1 + σ√(2 log(1/δ)/T), where
    // ε* = T/(2σ²) + √(2T log(1/δ))/σ (Mironov 2017, Prop. 3 + Prop. 7, minimised by hand).
    const sigma = 5;
    const steps = 10;
    const delta = 1e-5;
    const orders: number[] = [];
    for (let i = 1; i <= 20000; i++) orders.push(1 + i / 1000);
    const result = new RdpAccountant({ orders })
      .composeGaussian({ noiseMultiplier: sigma, steps })
      .getEpsilon(delta, { conversion: 'classic' });
    const expected = steps / (2 * sigma * sigma) + Math.sqrt(2 * steps * Math.log(1 / delta)) / sigma;
    expect(Math.abs(result.epsilon - expected)).toBeLessThan(1e-6);
    expect(Math.abs(result.order - (1 + sigma * Math.sqrt((2 * Math.log(1 / delta)) / steps)))).toBeLessThan(1e-3);
  });

  it('composes heterogeneous phases additively and in any order', () => {
    const pretrain = { samplingRate: 0.01, noiseMultiplier: 1.3, steps: 500 };
    const finetune = { samplingRate: 0.05, noiseMultiplier: 2, steps: 120 };
    const a = new RdpAccountant().composeSampledGaussian(pretrain).composeSampledGaussian(finetune);
    const b = new RdpAccountant().composeSampledGaussian(finetune).composeSampledGaussian(pretrain);
    const alone1 = new RdpAccountant().composeSampledGaussian(pretrain).rdp();
    const alone2 = new RdpAccountant().composeSampledGaussian(finetune).rdp();
    const total = a.rdp();
    for (let i = 0; i < total.length; i++) {
      expect(Math.abs(total[i] - (alone1[i] + alone2[i]))).toBeLessThanOrEqual(1e-12 * total[i]);
      expect(Math.abs(total[i] - b.rdp()[i])).toBeLessThanOrEqual(1e-12 * total[i]);
    }
    expect(a.events.map((event) => event.kind)).toEqual(['sampled-gaussian', 'sampled-gaussian']);
    const epsilon = a.getEpsilon(1e-5).epsilon;
    expect(epsilon).toBeGreaterThan(new RdpAccountant().composeSampledGaussian(pretrain).getEpsilon(1e-5).epsilon);
    // Steps of one phase split into two compositions give the same total.
    const split = new RdpAccountant()
      .composeSampledGaussian({ ...pretrain, steps: 200 })
      .composeSampledGaussian({ ...pretrain, steps: 300 })
      .getEpsilon(1e-5).epsilon;
    const whole = new RdpAccountant().composeSampledGaussian(pretrain).getEpsilon(1e-5).epsilon;
    expect(Math.abs(split - whole)).toBeLessThan(1e-12);
  });

  it('ε decreases in σ and increases in the number of steps and in q', () => {
    const base = { samplingRate: 0.01, noiseMultiplier: 1, steps: 1000, delta: 1e-5 };
    let previous = Number.POSITIVE_INFINITY;
    for (const sigma of [0.6, 0.8, 1, 1.5, 2, 4, 8]) {
      const epsilon = computeSampledGaussianEpsilon({ ...base, noiseMultiplier: sigma }).epsilon;
      expect(epsilon).toBeLessThan(previous);
      previous = epsilon;
    }
    previous = 0;
    for (const steps of [1, 10, 100, 1000, 10000]) {
      const epsilon = computeSampledGaussianEpsilon({ ...base, steps }).epsilon;
      expect(epsilon).toBeGreaterThan(previous);
      previous = epsilon;
    }
    previous = 0;
    for (const q of [0.001, 0.005, 0.01, 0.05, 0.2, 1]) {
      const epsilon = computeSampledGaussianEpsilon({ ...base, samplingRate: q }).epsilon;
      expect(epsilon).toBeGreaterThan(previous);
      previous = epsilon;
    }
  });

  it('warns when the optimal order sits at an edge of the grid', () => {
    const high = new RdpAccountant().composeGaussian({ noiseMultiplier: 1000 }).getEpsilon(1e-5);
    expect(high.atGridEdge).toBe('highest');
    expect(high.order).toBe(1024);
    expect(high.warnings[0]).toMatch(/highest order/);
    const low = new RdpAccountant().composeGaussian({ noiseMultiplier: 0.1, steps: 100 }).getEpsilon(1e-5);
    expect(low.atGridEdge).toBe('lowest');
    expect(low.order).toBe(1.1);
    const inside = new RdpAccountant().composeGaussian({ noiseMultiplier: 3 }).getEpsilon(1e-5);
    expect(inside.atGridEdge).toBeNull();
    expect(inside.warnings).toEqual([]);
  });

  it('accounts Laplace releases no worse than basic composition', () => {
    // 10 Laplace releases with scale = 1/ε₀ (ε₀ = 0.5): pure ε = 5 by basic composition; RDP gives less at δ = 1e-5.
    const epsilon = new RdpAccountant().composeLaplace({ noiseMultiplier: 2, steps: 10 }).getEpsilon(1e-5).epsilon;
    expect(epsilon).toBeLessThan(5);
    expect(epsilon).toBeGreaterThan(1);
  });

  it('has the documented default grid', () => {
    expect(DEFAULT_RDP_ORDERS.length).toBe(99 + 53 + 4);
    expect(DEFAULT_RDP_ORDERS.slice(0, 3)).toEqual([1.1, 1.2, 1.3]);
    expect(DEFAULT_RDP_ORDERS).toContain(2);
    expect(DEFAULT_RDP_ORDERS).toContain(10.9);
    expect(DEFAULT_RDP_ORDERS.slice(-6)).toEqual([62, 63, 128, 256, 512, 1024]);
  });

  it('rejects invalid events and grids with E_ARGUMENT', () => {
    const accountant = new RdpAccountant();
    const cases = [
      () => accountant.composeSampledGaussian({ samplingRate: 0, noiseMultiplier: 1 }),
      () => accountant.composeSampledGaussian({ samplingRate: 1.01, noiseMultiplier: 1 }),
      () => accountant.composeSampledGaussian({ samplingRate: 0.1, noiseMultiplier: -1 }),
      () => accountant.composeSampledGaussian({ samplingRate: 0.1, noiseMultiplier: 1, steps: 1.5 }),
      () => accountant.getEpsilon(0),
      () => accountant.getEpsilon(1),
      () => new RdpAccountant({ orders: [0.5, 2] }),
      () => new RdpAccountant({ orders: [] }),
    ];
    for (const call of cases) {
      let caught: unknown;
      try {
        call();
      } catch (error) {
        caught = error;
      }
      expect(TrustRecError.isInstance(caught, 'E_ARGUMENT')).toBe(true);
    }
  });

  it('refuses unknown option and event names with E_CONFIG (a misspelt `steps` used to count one step)', () => {
    const accountant = new RdpAccountant();
    for (const [call, option, value] of [
      [
        () => accountant.composeSampledGaussian({ samplingRate: 0.04, noiseMultiplier: 1.5, step: 2250 } as never),
        'step',
        2250,
      ],
      [() => accountant.composeGaussian({ noiseMultiplier: 1, samplingRate: 0.5 } as never), 'samplingRate', 0.5],
      [() => accountant.composeLaplace({ noiseMultiplier: 1, epochs: 3 } as never), 'epochs', 3],
      [() => accountant.getEpsilon(1e-5, { convertion: 'classic' } as never), 'convertion', 'classic'],
      [() => accountant.getDelta(1, { method: 'classic' } as never), 'method', 'classic'],
      [() => new RdpAccountant({ order: [2, 3] } as never), 'order', [2, 3]],
      [
        () =>
          computeSampledGaussianEpsilon({
            samplingRate: 0.04,
            noiseMultiplier: 1.5,
            steps: 10,
            delta: 1e-5,
            epochs: 3,
          } as never),
        'epochs',
        3,
      ],
    ] as const) {
      expect(call, option).toThrow(expect.objectContaining({ code: 'E_CONFIG', details: { option, value } }));
    }
    expect(accountant.events).toEqual([]);
    expect(Array.from(accountant.rdp()).every((value) => value === 0)).toBe(true);
  });

  it('requires steps in computeSampledGaussianEpsilon (it used to account for one step when left out)', () => {
    expect(() =>
      computeSampledGaussianEpsilon({ samplingRate: 0.04, noiseMultiplier: 1.5, delta: 1e-5 } as never),
    ).toThrow(
      expect.objectContaining({
        code: 'E_ARGUMENT',
        message: expect.stringMatching(/^computeSampledGaussianEpsilon: steps must be an integer ≥ 0/),
      }),
    );
  });

  it('refuses a conversion other than improved / classic (a misspelt one ran improved and was echoed back)', () => {
    const accountant = new RdpAccountant().composeSampledGaussian({
      samplingRate: 0.04,
      noiseMultiplier: 1.5,
      steps: 10,
    });
    for (const call of [
      () => accountant.getEpsilon(1e-5, { conversion: 'Classic' as never }),
      () => accountant.getDelta(1, { conversion: 'tight' as never }),
      () =>
        computeSampledGaussianEpsilon({
          samplingRate: 0.04,
          noiseMultiplier: 1.5,
          steps: 10,
          delta: 1e-5,
          conversion: 'clasic' as never,
        }),
    ]) {
      expect(call).toThrow(
        expect.objectContaining({ code: 'E_ARGUMENT', details: expect.objectContaining({ option: 'conversion' }) }),
      );
    }
  });

  it('refuses orders that are not an array with E_ARGUMENT', () => {
    expect(() => new RdpAccountant({ orders: 5 } as never)).toThrow(
      expect.objectContaining({ code: 'E_ARGUMENT', details: { option: 'orders' } }),
    );
  });
});
