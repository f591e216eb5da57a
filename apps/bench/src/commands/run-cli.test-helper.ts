import { expect, vi } from 'vitest';
import { runCli } from '../program.js';
import type { TrainReport } from './train-command.js';

/** What one in-process run of the `trustrec` program printed, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs the real CLI entry (`runCli`, as `dist/cli.js` does) in this process with `args` after `trustrec`,
 * capturing what it writes to stdout and stderr. `env` entries are set for the run only (vi.stubEnv; `undefined`
 * removes a variable), so `TRUSTREC_*` overrides reach the command exactly as from a shell.
 */
export async function runTrustrec(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = {},
): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  for (const [key, value] of Object.entries(env)) vi.stubEnv(key, value);
  try {
    const code = await runCli(['node', 'trustrec', ...args]);
    return { code, stdout, stderr };
  } finally {
    vi.unstubAllEnvs();
    out.mockRestore();
    err.mockRestore();
  }
}

/** Parses the single JSON document a `--json` run printed on stdout, failing with what was printed otherwise. */
export function parseJsonOutput<T>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    return expect.fail(
      `expected one JSON document on stdout (exit ${run.code}); stdout:\n${run.stdout}\nstderr:\n${run.stderr}`,
    );
  }
}

/** Runs `trustrec train --dataset <dataset> --data-dir <dataDir> --json …args`, expects exit 0, returns its report. */
export async function trainForTest(dataset: string, dataDir: string, args: readonly string[]): Promise<TrainReport> {
  const run = await runTrustrec(['train', '--dataset', dataset, '--data-dir', dataDir, '--json', ...args]);
  expect(run.code, run.stderr).toBe(0);
  return parseJsonOutput<TrainReport>(run);
}
