import { createRequire } from 'node:module';
import { type BackendProbe, probeAllBackends, selectBackend } from '@trustrec/core-linalg';
import type { Command } from 'commander';
import { type OutputOptions, formatTable, printResult } from '../output/print-result.js';
import { CLI_VERSION } from '../version.js';
import type { CommandModule } from './command-module.js';

/** The scopes whose backend can be set separately with TRUSTREC_BACKEND_<SCOPE>. */
export const BACKEND_SCOPES = ['default', 'models', 'attacks', 'defenses', 'privacy-dp', 'unlearning'] as const;

const PACKAGES = [
  '@trustrec/core-linalg',
  '@trustrec/datasets',
  '@trustrec/metrics',
  '@trustrec/models',
  '@trustrec/privacy-dp',
  '@tensorflow/tfjs-core',
] as const;

export interface EnvReport {
  node: string;
  platform: string;
  cli: string;
  packages: Record<string, string | null>;
  backends: BackendProbe[];
  scopes: { scope: string; selected: string; source: string; skipped: { name: string; reason: string }[] }[];
}

function packageVersion(name: string): string | null {
  const require = createRequire(import.meta.url);
  try {
    return (require(`${name}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

/** Collects the environment report: versions and, per scope, the backend that would be selected and why. */
export async function collectEnvReport(): Promise<EnvReport> {
  const backends = await probeAllBackends();
  const scopes: EnvReport['scopes'] = [];
  for (const scope of BACKEND_SCOPES) {
    const selection = await selectBackend(undefined, { scope });
    scopes.push({
      scope,
      selected: selection.name,
      source: selection.source,
      skipped: selection.attempts.filter((attempt) => !attempt.available).map(({ name, reason }) => ({ name, reason })),
    });
  }
  return {
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cli: CLI_VERSION,
    packages: Object.fromEntries(PACKAGES.map((name) => [name, packageVersion(name)])),
    backends,
    scopes,
  };
}

function renderEnv(report: EnvReport): string {
  const lines = [
    `node ${report.node} (${report.platform}), trustrec CLI ${report.cli}`,
    '',
    formatTable(
      ['package', 'version'],
      Object.entries(report.packages).map(([name, version]) => [name, version ?? 'not installed']),
    ),
    '',
    formatTable(
      ['backend', 'available', 'details'],
      report.backends.map((probe) => [probe.name, probe.available ? 'yes' : 'no', probe.reason]),
    ),
    '',
    formatTable(
      ['scope', 'selected', 'from'],
      report.scopes.map((scope) => [scope.scope, scope.selected, scope.source]),
    ),
  ];
  return lines.join('\n');
}

export const envCommand: CommandModule = {
  name: 'env',
  register(program: Command) {
    program
      .command('env')
      .description('print Node and package versions and the compute backend each scope selects, with reasons')
      .option('--json', 'print the report as JSON')
      .action(async (options: OutputOptions) => {
        printResult(await collectEnvReport(), options, renderEnv);
      });
  },
};
