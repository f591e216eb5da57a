import { TrustRecError } from '@trustrec/core-linalg';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dpCommand, renderDpEpsilon, renderDpSigma, runDpEpsilon, runDpSigma } from './dp-command.js';

function argumentErrorOf(call: () => unknown): TrustRecError {
  try {
    call();
  } catch (error) {
    if (TrustRecError.isInstance(error, 'E_ARGUMENT')) return error;
    throw error;
  }
  throw new Error('expected an E_ARGUMENT error');
}

describe('trustrec dp epsilon', () => {
  it('reports ε, order and accountant, matching Opacus (q = 0.04, σ = 1.5, 2250 steps, δ = 1e-5 → 7.32911117143)', () => {
    const report = runDpEpsilon({ q: '0.04', sigma: '1.5', steps: '2250', delta: '1e-5' });
    expect(Math.abs(report.epsilon - 7.32911117143)).toBeLessThan(1e-8);
    expect(report.order).toBe(3.9);
    expect(report.accountant).toBe('rdp');
    expect(report.classicEpsilon).toBeGreaterThan(report.epsilon);
    expect(report.rdpEpsilon).toBe(report.epsilon);
    expect(renderDpEpsilon(report)).toMatch(/improved.*7\.32911/);
  });

  it('labels the PLD accountant and reports a tighter ε than RDP', () => {
    const report = runDpEpsilon({ q: '0.05', sigma: '2', steps: '1000', delta: '1e-6', accountant: 'pld' });
    expect(report.accountant).toBe('pld');
    expect(report.order).toBeNull();
    // microsoft/prv_accountant value used in Opacus' tests/prv_accountant.py: 4.17279986668931890392286732094.
    expect(report.epsilon).toBeLessThanOrEqual(4.1727998666893189);
    expect(report.epsilon).toBeGreaterThan(4.1727998666893189 - 0.012);
    expect(report.epsilon).toBeLessThan(report.rdpEpsilon);
    expect(renderDpEpsilon(report)).toMatch(/pld \(connect-the-dots \+ FFT\)\s+4\.16/);
  });

  it('labels the tight gaussian-exact accountant (q = 1) and keeps the RDP values for comparison', () => {
    const report = runDpEpsilon({ q: '1', sigma: '5', steps: '100', delta: '1e-5', accountant: 'gaussian-exact' });
    expect(report.accountant).toBe('gaussian-exact');
    expect(report.order).toBeNull();
    expect(report.epsilon).toBeLessThan(report.rdpEpsilon);
    expect(report.rdpEpsilon).toBeLessThan(report.classicEpsilon);
    expect(renderDpEpsilon(report)).toMatch(/gaussian-exact/);
  });

  it.each([
    [{ q: '0', sigma: '1', steps: '10', delta: '1e-5' }, /--q must be a number in \(0, 1\]/],
    [{ q: '1.5', sigma: '1', steps: '10', delta: '1e-5' }, /--q must be a number in \(0, 1\]/],
    [{ q: '0.1', sigma: '0', steps: '10', delta: '1e-5' }, /--sigma must be a number in \(0,/],
    [{ q: '0.1', sigma: '-2', steps: '10', delta: '1e-5' }, /--sigma/],
    [{ q: '0.1', sigma: '1', steps: '0', delta: '1e-5' }, /--steps must be an integer in \[1,/],
    [{ q: '0.1', sigma: '1', steps: '10', delta: '1' }, /--delta must be a number in \(0, 1\)/],
    [{ q: '0.1', sigma: '1', steps: '10', delta: '0' }, /--delta/],
    [
      { q: '0.1', sigma: '1', steps: '10', delta: '1e-5', accountant: 'moments' },
      /--accountant must be one of rdp, pld, gaussian-exact/,
    ],
    [
      { q: '0.1', sigma: '1', steps: '10', delta: '1e-5', accountant: 'gaussian-exact' },
      /--accountant gaussian-exact needs --q 1/,
    ],
  ])('rejects %o with E_ARGUMENT naming the flag and range', (flags, message) => {
    expect(argumentErrorOf(() => runDpEpsilon(flags)).message).toMatch(message);
  });
});

describe('trustrec dp sigma', () => {
  it('calibrates the DP-SGD noise multiplier with --q and --steps', () => {
    const report = runDpSigma({ epsilon: '8', delta: '1e-5', q: '0.04', steps: '2250' });
    expect(report.mode).toBe('dp-sgd');
    // Opacus get_noise_multiplier gives 1.425307617 with a 0.01 bracket (opacus/tests/accountants_test.py).
    expect(Math.abs(report.sigma - 1.425307617)).toBeLessThan(0.01);
    expect(report.epsilon).toBeLessThanOrEqual(8);
    expect(renderDpSigma(report)).toMatch(/noise multiplier σ = 1\.41/);
  });

  it('calibrates one-shot mechanisms: analytic (default), classic, Laplace', () => {
    const analytic = runDpSigma({ epsilon: '1', delta: '1e-5' });
    expect(analytic).toMatchObject({ mode: 'one-shot', mechanism: 'gaussian-analytic' });
    expect(Math.abs(analytic.sigma - 3.7306316348159347)).toBeLessThan(1e-8); // Balle & Wang Thm. 8 via scipy
    const classic = runDpSigma({ epsilon: '0.5', delta: '1e-5', mechanism: 'gaussian-classic', sensitivity: '2' });
    expect(classic.sigma).toBe((2 * Math.sqrt(2 * Math.log(1.25e5))) / 0.5);
    const laplace = runDpSigma({ epsilon: '0.5', mechanism: 'laplace', sensitivity: '3' });
    expect(laplace).toMatchObject({ mechanism: 'laplace', scale: 6, delta: null });
  });

  it.each([
    [{ epsilon: '0', delta: '1e-5' }, /--epsilon must be a number in \(0,/],
    [
      { epsilon: '1', delta: '1e-5', mechanism: 'gaussian-classic' },
      /--epsilon must be in \(0, 1\) for --mechanism gaussian-classic/,
    ],
    [{ epsilon: '1', delta: '2' }, /--delta must be a number in \(0, 1\)/],
    [{ epsilon: '1' }, /--delta is required/],
    [{ epsilon: '1', delta: '1e-5', q: '0.1' }, /--q and --steps go together/],
    [{ epsilon: '1', delta: '1e-5', q: '0.1', steps: '10', mechanism: 'laplace' }, /--mechanism is for one-shot/],
    [
      { epsilon: '1', delta: '1e-5', mechanism: 'cauchy' },
      /--mechanism must be one of gaussian-analytic, gaussian-classic, laplace/,
    ],
  ])('rejects %o with E_ARGUMENT', (flags, message) => {
    expect(argumentErrorOf(() => runDpSigma(flags)).message).toMatch(message);
  });
});

describe('dp command registration', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints exactly one JSON document for --json', async () => {
    const program = new Command('trustrec').exitOverride();
    dpCommand.register(program);
    const writes: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    await program.parseAsync([
      'node',
      'trustrec',
      'dp',
      'epsilon',
      '--q',
      '0.01',
      '--sigma',
      '1.1',
      '--steps',
      '1000',
      '--delta',
      '1e-5',
      '--json',
    ]);
    const parsed = JSON.parse(writes.join('')) as { epsilon: number; order: number; accountant: string };
    expect(parsed.accountant).toBe('rdp');
    expect(parsed.epsilon).toBeGreaterThan(0);
    expect(Number.isFinite(parsed.order)).toBe(true);
  });
});
