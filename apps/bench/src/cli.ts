#!/usr/bin/env node
import { runCli } from './program.js';

const exitCode = await runCli(process.argv);
process.exitCode = exitCode;
// Native engines (Dawn's WebGPU device) can keep the event loop alive after the work is done.
setTimeout(() => process.exit(exitCode), 50).unref();
