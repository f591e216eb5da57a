import type { CommandModule } from './command-module.js';
import { compareCommand } from './compare-command.js';
import { datasetsCommand } from './datasets-command.js';
import { demoCommand } from './demo-command.js';
import { dpCommand } from './dp-command.js';
import { envCommand } from './env-command.js';
import { evalScoresCommand } from './eval-scores-command.js';
import { describeCommand, listCommand } from './models-command.js';
import { reproduceCommand } from './reproduce-command.js';
import { runCommand } from './run-command.js';
import { trainCommand } from './train-command.js';

/** Every subcommand group, in help order. Later packages add their modules here. */
export const COMMANDS: readonly CommandModule[] = [
  envCommand,
  demoCommand,
  datasetsCommand,
  dpCommand,
  evalScoresCommand,
  trainCommand,
  compareCommand,
  listCommand,
  describeCommand,
  runCommand,
  reproduceCommand,
];
