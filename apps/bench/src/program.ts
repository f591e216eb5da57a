import { Command, CommanderError } from 'commander';
import { COMMANDS } from './commands/registry.js';
import { reportError } from './output/report-error.js';
import { CLI_VERSION } from './version.js';

/** Builds the `trustrec` program with every registered subcommand. */
export function buildProgram(): Command {
  const program = new Command('trustrec')
    .description(
      'TrustRec: train recommenders, attack them, defend them, make them private, make them forget — and measure it all.',
    )
    .version(CLI_VERSION, '-V, --version', 'print the CLI version')
    .option('--debug', 'print stack traces for errors')
    .showHelpAfterError('(run trustrec --help for usage)')
    .exitOverride();
  for (const command of COMMANDS) command.register(program);
  return program;
}

/**
 * Runs the CLI and returns the exit code: 0 success, 2 bad input (usage, options, configs, data files),
 * 1 any other failure. Errors print their message only, unless --debug.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv as string[]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version exit through here with code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? 0 : 2;
    }
    return reportError(error, { debug: argv.includes('--debug') });
  }
}
