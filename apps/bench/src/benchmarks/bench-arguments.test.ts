import { describe, expect, it } from 'vitest';
import { benchEnvironmentInteger, benchUsage, parseBenchArguments } from './bench-arguments.js';

const BENCHMARKS = [
  { name: 'core-linalg', summary: 'kernels' },
  { name: 'models', summary: 'epoch times' },
  { name: 'ncf', summary: 'the tower' },
];

describe('pnpm bench arguments', () => {
  it('runs every benchmark in order without a name, and the named ones in the order given', () => {
    expect(parseBenchArguments([], BENCHMARKS)).toEqual({ kind: 'run', names: ['core-linalg', 'models', 'ncf'] });
    expect(parseBenchArguments(['ncf', 'core-linalg'], BENCHMARKS)).toEqual({
      kind: 'run',
      names: ['ncf', 'core-linalg'],
    });
  });

  it('answers --help and -h with the usage, even beside names', () => {
    expect(parseBenchArguments(['--help'], BENCHMARKS)).toEqual({ kind: 'help' });
    expect(parseBenchArguments(['models', '-h'], BENCHMARKS)).toEqual({ kind: 'help' });
    const usage = benchUsage(BENCHMARKS);
    expect(usage).toMatch(/^Usage: pnpm bench \[name …\]/);
    expect(usage).toMatch(/\n {2}models +epoch times\n/);
    expect(usage).toMatch(/TRUSTREC_BENCH_EPOCHS/);
    expect(usage).toMatch(/TRUSTREC_NCF_EPOCHS/);
  });

  it('refuses an unknown benchmark or option before running anything, naming it and what exists', () => {
    expect(() => parseBenchArguments(['models', 'modles'], BENCHMARKS)).toThrow(
      expect.objectContaining({
        code: 'E_ARGUMENT',
        message: 'pnpm bench: unknown benchmark "modles"; available: core-linalg, models, ncf',
      }),
    );
    expect(() => parseBenchArguments(['--quick', 'models'], BENCHMARKS)).toThrow(
      expect.objectContaining({
        code: 'E_ARGUMENT',
        message: 'pnpm bench: unknown option "--quick"; the only option is --help',
      }),
    );
  });
});

describe('benchmark settings from the environment', () => {
  it('gives the fallback when the variable is unset or empty, and the integer when it is set', () => {
    expect(benchEnvironmentInteger('TRUSTREC_NCF_EPOCHS', 1, 0, {})).toBe(1);
    expect(benchEnvironmentInteger('TRUSTREC_NCF_EPOCHS', 1, 0, { TRUSTREC_NCF_EPOCHS: ' ' })).toBe(1);
    expect(benchEnvironmentInteger('TRUSTREC_NCF_EPOCHS', 1, 0, { TRUSTREC_NCF_EPOCHS: '0' })).toBe(0);
    expect(benchEnvironmentInteger('TRUSTREC_BENCH_EPOCHS', undefined, 1, {})).toBeUndefined();
    expect(benchEnvironmentInteger('TRUSTREC_BENCH_EPOCHS', undefined, 1, { TRUSTREC_BENCH_EPOCHS: '3' })).toBe(3);
  });

  it('refuses a value that is not an integer at or above the minimum, naming the variable', () => {
    for (const raw of ['three', '2.5', '0', '-1', '1e400']) {
      expect(() =>
        benchEnvironmentInteger('TRUSTREC_BENCH_EPOCHS', undefined, 1, { TRUSTREC_BENCH_EPOCHS: raw }),
      ).toThrow(
        expect.objectContaining({
          code: 'E_ARGUMENT',
          message: `pnpm bench: environment variable TRUSTREC_BENCH_EPOCHS="${raw}" must be an integer ≥ 1`,
          details: { option: 'TRUSTREC_BENCH_EPOCHS', value: raw },
        }),
      );
    }
  });
});
