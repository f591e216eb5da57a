import { argumentError } from '@trustrec/core-linalg';
import {
  RdpAccountant,
  calibrateNoiseMultiplier,
  exactGaussianCompositionEpsilon,
  pldSampledGaussianEpsilon,
  gaussianSigmaAnalytic,
  gaussianSigmaClassic,
  laplaceScale,
} from '@trustrec/privacy-dp';
import type { Command } from 'commander';
import { parseIntegerOption, parseNumberOption } from '../output/parse-options.js';
import { type OutputOptions, formatTable, printResult } from '../output/print-result.js';
import type { CommandModule } from './command-module.js';

/**
 * The accountants `trustrec dp epsilon` can use: `rdp` (any q, the default), `pld` (privacy-loss distribution,
 * tighter, any q) and `gaussian-exact` (the closed form for Gaussian compositions without subsampling; --q 1).
 */
export const DP_ACCOUNTANTS = ['rdp', 'pld', 'gaussian-exact'] as const;
export type DpAccountant = (typeof DP_ACCOUNTANTS)[number];
/** The one-shot mechanisms `trustrec dp sigma --mechanism` calibrates. */
export const DP_MECHANISMS = ['gaussian-analytic', 'gaussian-classic', 'laplace'] as const;
export type DpMechanism = (typeof DP_MECHANISMS)[number];

/** Raw flags of `dp epsilon` as commander hands them over (strings). */
export interface DpEpsilonFlags {
  q: string;
  sigma: string;
  steps: string;
  delta: string;
  accountant?: string;
}

/** Raw flags of `dp sigma`. */
export interface DpSigmaFlags {
  epsilon: string;
  delta?: string;
  q?: string;
  steps?: string;
  mechanism?: string;
  sensitivity?: string;
}

export interface DpEpsilonReport {
  /**
   * ε from the chosen accountant: `rdp` with the improved RDP → (ε, δ) conversion (Balle et al. 2020 / Canonne,
   * Kamath & Steinke 2020), `pld`, or `gaussian-exact`.
   */
  epsilon: number;
  /** The optimal Rényi order for `epsilon` (null for `pld` and `gaussian-exact`, which use no orders). */
  order: number | null;
  accountant: DpAccountant;
  /** The RDP conversion behind `epsilon` (null for `pld` and `gaussian-exact`). */
  conversion: 'improved' | null;
  /** ε of the RDP accountant with the improved conversion (equal to `epsilon` when accountant is `rdp`). */
  rdpEpsilon: number;
  rdpOrder: number;
  /** ε of the RDP accountant with the classic conversion RDP(α) + log(1/δ)/(α−1) (Mironov 2017), for comparison. */
  classicEpsilon: number;
  classicOrder: number;
  q: number;
  sigma: number;
  steps: number;
  delta: number;
  warnings: string[];
}

export type DpSigmaReport =
  | {
      mode: 'dp-sgd';
      /** Noise multiplier σ (noise std / L2 clipping norm) for T steps of the Poisson-subsampled Gaussian. */
      sigma: number;
      /** The ε that σ actually gives (≤ the target). */
      epsilon: number;
      targetEpsilon: number;
      delta: number;
      q: number;
      steps: number;
      order: number;
      accountant: 'rdp';
      conversion: 'improved';
    }
  | {
      mode: 'one-shot';
      mechanism: 'gaussian-analytic' | 'gaussian-classic';
      /** Noise standard deviation for one release with the given L2 sensitivity. */
      sigma: number;
      epsilon: number;
      delta: number;
      sensitivity: number;
    }
  | {
      mode: 'one-shot';
      mechanism: 'laplace';
      /** Laplace scale b = Δ₁/ε for one release (pure ε-DP; δ plays no role). */
      scale: number;
      /** Standard deviation of that noise, b·√2. */
      sigma: number;
      epsilon: number;
      delta: null;
      sensitivity: number;
    };

/** δ ∈ (0, 1), open at both ends (parseNumberOption only knows closed upper ends). */
function parseDelta(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !(value > 0 && value < 1)) {
    throw argumentError('trustrec', `--delta must be a number in (0, 1), got "${text}"`, { option: 'delta' });
  }
  return value;
}

function parseChoice<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) {
    throw argumentError('trustrec', `--${flag} must be one of ${choices.join(', ')}, got "${text}"`, { option: flag });
  }
  return text as T;
}

/** Validates the flags of `dp epsilon` and computes ε with the RDP accountant (both conversions). */
export function runDpEpsilon(flags: DpEpsilonFlags): DpEpsilonReport {
  const q = parseNumberOption('q', flags.q, { min: 0, max: 1, exclusiveMin: true });
  const sigma = parseNumberOption('sigma', flags.sigma, { min: 0, exclusiveMin: true });
  const steps = parseIntegerOption('steps', flags.steps, 1);
  const delta = parseDelta(flags.delta);
  const accountantName = parseChoice('accountant', flags.accountant ?? 'rdp', DP_ACCOUNTANTS);
  if (accountantName === 'gaussian-exact' && q !== 1) {
    throw argumentError(
      'trustrec',
      `--accountant gaussian-exact needs --q 1 (no subsampling), got "${flags.q}"; use --accountant rdp`,
      {
        option: 'accountant',
      },
    );
  }
  const accountant = new RdpAccountant().composeSampledGaussian({ samplingRate: q, noiseMultiplier: sigma, steps });
  const improved = accountant.getEpsilon(delta, { conversion: 'improved' });
  const classic = accountant.getEpsilon(delta, { conversion: 'classic' });
  const exact =
    accountantName === 'gaussian-exact'
      ? exactGaussianCompositionEpsilon({ phases: [{ noiseMultiplier: sigma, steps }], delta })
      : accountantName === 'pld'
        ? pldSampledGaussianEpsilon({ phases: [{ samplingRate: q, noiseMultiplier: sigma, steps }], delta })
        : null;
  return {
    epsilon: exact ? exact.epsilon : improved.epsilon,
    order: exact ? null : improved.order,
    accountant: accountantName,
    conversion: exact ? null : 'improved',
    rdpEpsilon: improved.epsilon,
    rdpOrder: improved.order,
    classicEpsilon: classic.epsilon,
    classicOrder: classic.order,
    q,
    sigma,
    steps,
    delta,
    warnings: exact ? [] : [...improved.warnings],
  };
}

/**
 * Validates the flags of `dp sigma` and calibrates: with --q and --steps, the DP-SGD noise multiplier through
 * the RDP accountant; otherwise the noise of one release of the chosen mechanism (default gaussian-analytic).
 */
export function runDpSigma(flags: DpSigmaFlags): DpSigmaReport {
  const epsilon = parseNumberOption('epsilon', flags.epsilon, { min: 0, exclusiveMin: true });
  const sensitivity =
    flags.sensitivity === undefined
      ? 1
      : parseNumberOption('sensitivity', flags.sensitivity, { min: 0, exclusiveMin: true });
  if ((flags.q === undefined) !== (flags.steps === undefined)) {
    throw argumentError(
      'trustrec',
      'dp sigma: --q and --steps go together (DP-SGD calibration); give both or neither',
      {
        option: flags.q === undefined ? 'q' : 'steps',
      },
    );
  }
  if (flags.q !== undefined && flags.steps !== undefined) {
    if (flags.mechanism !== undefined) {
      throw argumentError(
        'trustrec',
        'dp sigma: --mechanism is for one-shot releases; drop it when giving --q and --steps',
        {
          option: 'mechanism',
        },
      );
    }
    if (flags.delta === undefined)
      throw argumentError('trustrec', '--delta is required: a number in (0, 1)', { option: 'delta' });
    const q = parseNumberOption('q', flags.q, { min: 0, max: 1, exclusiveMin: true });
    const steps = parseIntegerOption('steps', flags.steps, 1);
    const delta = parseDelta(flags.delta);
    const calibration = calibrateNoiseMultiplier({ targetEpsilon: epsilon, delta, samplingRate: q, steps });
    return {
      mode: 'dp-sgd',
      sigma: calibration.noiseMultiplier,
      epsilon: calibration.epsilon,
      targetEpsilon: epsilon,
      delta,
      q,
      steps,
      order: calibration.order,
      accountant: 'rdp',
      conversion: 'improved',
    };
  }
  const mechanism = parseChoice('mechanism', flags.mechanism ?? 'gaussian-analytic', DP_MECHANISMS);
  if (mechanism === 'laplace') {
    const scale = laplaceScale(sensitivity, epsilon);
    return { mode: 'one-shot', mechanism, scale, sigma: scale * Math.SQRT2, epsilon, delta: null, sensitivity };
  }
  if (flags.delta === undefined)
    throw argumentError('trustrec', `--delta is required for ${mechanism}: a number in (0, 1)`, { option: 'delta' });
  const delta = parseDelta(flags.delta);
  if (mechanism === 'gaussian-classic' && epsilon >= 1) {
    throw argumentError(
      'trustrec',
      `--epsilon must be in (0, 1) for --mechanism gaussian-classic (the classic bound needs ε < 1), got "${flags.epsilon}"; use --mechanism gaussian-analytic`,
      { option: 'epsilon' },
    );
  }
  const sigma =
    mechanism === 'gaussian-classic'
      ? gaussianSigmaClassic(sensitivity, epsilon, delta)
      : gaussianSigmaAnalytic(sensitivity, epsilon, delta);
  return { mode: 'one-shot', mechanism, sigma, epsilon, delta, sensitivity };
}

const format = (value: number) => (Number.isFinite(value) ? Number(value.toPrecision(6)).toString() : String(value));

export function renderDpEpsilon(report: DpEpsilonReport): string {
  const lines = [
    `Poisson-subsampled Gaussian: q = ${report.q}, σ = ${report.sigma}, ${report.steps} steps, δ = ${report.delta}`,
    '',
    formatTable(
      ['accountant', 'epsilon', 'order'],
      [
        ...(report.accountant === 'gaussian-exact'
          ? [['gaussian-exact (tight, q = 1)', format(report.epsilon), '-']]
          : []),
        ...(report.accountant === 'pld' ? [['pld (connect-the-dots + FFT)', format(report.epsilon), '-']] : []),
        ['rdp, improved conversion (Balle et al. 2020)', format(report.rdpEpsilon), String(report.rdpOrder)],
        ['rdp, classic conversion (Mironov 2017)', format(report.classicEpsilon), String(report.classicOrder)],
      ],
    ),
    '',
    `reported: ε = ${format(report.epsilon)} from accountant ${report.accountant}`,
  ];
  for (const warning of report.warnings) lines.push(`warning: ${warning}`);
  return lines.join('\n');
}

export function renderDpSigma(report: DpSigmaReport): string {
  if (report.mode === 'dp-sgd') {
    return [
      `noise multiplier σ = ${format(report.sigma)} for ε ≤ ${report.targetEpsilon}, δ = ${report.delta}`,
      `  (q = ${report.q}, ${report.steps} steps; achieved ε = ${format(report.epsilon)} at order ${report.order}; accountant ${report.accountant})`,
    ].join('\n');
  }
  if (report.mechanism === 'laplace') {
    return `laplace: scale b = ${format(report.scale)} (std ${format(report.sigma)}) for ε = ${report.epsilon}, L1 sensitivity ${report.sensitivity}`;
  }
  return `${report.mechanism}: σ = ${format(report.sigma)} for ε = ${report.epsilon}, δ = ${report.delta}, L2 sensitivity ${report.sensitivity}`;
}

export const dpCommand: CommandModule = {
  name: 'dp',
  register(program: Command) {
    const dp = program.command('dp').description('differential privacy: privacy accounting and noise calibration');
    dp.command('epsilon')
      .description(
        'ε of T steps of the Poisson-subsampled Gaussian mechanism (DP-SGD) at δ (accountant rdp, pld, or gaussian-exact for q = 1)',
      )
      .requiredOption('--q <rate>', 'Poisson sampling rate in (0, 1]')
      .requiredOption('--sigma <multiplier>', 'noise multiplier σ > 0 (noise std / L2 clipping norm)')
      .requiredOption('--steps <count>', 'number of steps T ≥ 1')
      .requiredOption('--delta <delta>', 'target δ in (0, 1)')
      .option('--accountant <name>', `accountant: ${DP_ACCOUNTANTS.join(', ')}`, 'rdp')
      .option('--json', 'print the result as JSON')
      .action((options: DpEpsilonFlags & OutputOptions) => {
        printResult(runDpEpsilon(options), options, renderDpEpsilon);
      });
    dp.command('sigma')
      .description(
        'noise for a target (ε, δ): the DP-SGD noise multiplier (with --q and --steps) or one release of a mechanism',
      )
      .requiredOption('--epsilon <epsilon>', 'target ε > 0')
      .option('--delta <delta>', 'target δ in (0, 1) (not used by laplace)')
      .option('--q <rate>', 'Poisson sampling rate in (0, 1] (with --steps: DP-SGD calibration)')
      .option('--steps <count>', 'number of steps T ≥ 1 (with --q)')
      .option('--mechanism <name>', `one-shot mechanism: ${DP_MECHANISMS.join(', ')} (default gaussian-analytic)`)
      .option('--sensitivity <value>', 'sensitivity of the released query (L2 for Gaussian, L1 for Laplace)', '1')
      .option('--json', 'print the result as JSON')
      .action((options: DpSigmaFlags & OutputOptions) => {
        printResult(runDpSigma(options), options, renderDpSigma);
      });
  },
};
