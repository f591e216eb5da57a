import type { Command } from 'commander';

/** A subcommand group: each issue adds modules to the registry instead of editing the program. */
export interface CommandModule {
  /** The top-level name (`env`, `datasets`, `train`, ...). */
  readonly name: string;
  /** Adds the command (and its subcommands) to the program. */
  register(program: Command): void;
}
