import { argumentError } from '@trustrec/core-linalg';

/** One benchmark of `pnpm bench`: its name (the package it measures) and what it prints. */
export interface BenchmarkEntry {
  readonly name: string;
  readonly summary: string;
}

/** What `pnpm bench …` was asked for: the usage text, or the benchmarks to run in order. */
export type BenchRequest = { readonly kind: 'help' } | { readonly kind: 'run'; readonly names: readonly string[] };

/** The environment variables the benchmarks read, for the usage text. */
const ENVIRONMENT = [
  [
    'TRUSTREC_DATA_DIR',
    'the datasets folder: models needs MovieLens-1M and the NCF split there; datasets and ncf skip those figures',
  ],
  ['TRUSTREC_BENCH_EPOCHS', 'models: run at most this many epochs of each model (a quick run; quality figures drop)'],
  ['TRUSTREC_BENCH_ROWS', 'datasets: rows of the generated MovieLens-25M-format file (default 20000000)'],
  ['TRUSTREC_NCF_EPOCHS', 'ncf: NeuMF epochs on ml-1m-ncf after the tower timings (default 1; 0 skips them)'],
] as const;

/**
 * Parses `pnpm bench [name …] [--help]`: no name runs every benchmark; an unknown name or option is `E_ARGUMENT`
 * before anything runs (naming it and what is available), never skipped.
 */
export function parseBenchArguments(argv: readonly string[], benchmarks: readonly BenchmarkEntry[]): BenchRequest {
  const known = benchmarks.map((entry) => entry.name);
  const names: string[] = [];
  for (const argument of argv) {
    if (argument === '--help' || argument === '-h') return { kind: 'help' };
    if (argument.startsWith('-')) {
      throw argumentError('pnpm bench', `unknown option "${argument}"; the only option is --help`, {
        option: argument,
      });
    }
    if (!known.includes(argument)) {
      throw argumentError('pnpm bench', `unknown benchmark "${argument}"; available: ${known.join(', ')}`, {
        value: argument,
      });
    }
    names.push(argument);
  }
  return { kind: 'run', names: names.length > 0 ? names : known };
}

/** The text `pnpm bench --help` prints. */
export function benchUsage(benchmarks: readonly BenchmarkEntry[]): string {
  const width = Math.max(...benchmarks.map((entry) => entry.name.length), ...ENVIRONMENT.map(([name]) => name.length));
  const lines = [
    'Usage: pnpm bench [name …]   (node apps/bench/dist/bench.js [name …])',
    '',
    'Prints timings and the quality reached; benchmarks are not tests. No name runs them all, in this order:',
    ...benchmarks.map((entry) => `  ${entry.name.padEnd(width)}  ${entry.summary}`),
    '',
    'Environment:',
    ...ENVIRONMENT.map(([name, meaning]) => `  ${name.padEnd(width)}  ${meaning}`),
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Reads an integer setting from the environment: `fallback` when unset or empty, otherwise an integer ≥ `min`, or
 * `E_ARGUMENT` naming the variable (a typo must not silently run the default).
 */
export function benchEnvironmentInteger<Fallback extends number | undefined>(
  name: string,
  fallback: Fallback,
  min: number,
  env: NodeJS.ProcessEnv = process.env,
): number | Fallback {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) {
    throw argumentError('pnpm bench', `environment variable ${name}="${raw}" must be an integer ≥ ${min}`, {
      option: name,
      value: raw,
    });
  }
  return value;
}
