import type { CommandModule } from './command-module.js';
import { demoCommand } from './demo-command.js';
import { envCommand } from './env-command.js';

/** Every subcommand group, in help order. Later packages add their modules here. */
export const COMMANDS: readonly CommandModule[] = [envCommand, demoCommand];
