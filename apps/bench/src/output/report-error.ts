import { TrustRecError } from '@trustrec/core-linalg';
import picocolors from 'picocolors';

/** Colors only on a terminal (picocolors alone also colors whenever CI is set), and never with NO_COLOR. */
const pc = picocolors.createColors(process.stderr.isTTY === true && !process.env.NO_COLOR);

/** Codes that mean the user's input was wrong (exit 2); everything else is a failure (exit 1). */
const BAD_INPUT_CODES = new Set([
  'E_ARGUMENT',
  'E_CONFIG',
  'E_SHAPE',
  'E_DATASET_PARSE',
  'E_DATASET_MISSING',
  'E_FORMAT',
]);

/** Prints an error for a person (message and code; the stack only with --debug) and returns the exit code. */
export function reportError(error: unknown, options: { debug: boolean }): number {
  if (TrustRecError.isInstance(error)) {
    process.stderr.write(`${pc.red('error')} ${pc.dim(`[${error.code}]`)} ${error.message}\n`);
    if (options.debug && error.stack) process.stderr.write(`${error.stack}\n`);
    return BAD_INPUT_CODES.has(error.code) ? 2 : 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${pc.red('error')} ${message}\n`);
  if (options.debug && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  else process.stderr.write(pc.dim('(unexpected failure: run again with --debug for the stack trace)\n'));
  return 1;
}
