import { type ModelEntry, defaultModelRegistry } from '@trustrec/models';
import type { Command } from 'commander';
import { type OutputOptions, formatTable, printResult } from '../output/print-result.js';
import type { CommandModule } from './command-module.js';

export interface ModelSummary {
  name: string;
  displayName: string;
  kind: ModelEntry['kind'];
  feedback: ModelEntry['feedback'];
  summary: string;
}

export interface ModelDetails extends ModelSummary {
  reference: ModelEntry['reference'];
  hyperParameters: { name: string; default: unknown; description: string; range: string | null }[];
}

/** `trustrec list models`. */
export function listModels(): ModelSummary[] {
  return defaultModelRegistry()
    .list()
    .map(({ name, displayName, kind, feedback, summary }) => ({ name, displayName, kind, feedback, summary }));
}

/** `trustrec describe <model>` (unknown names: E_CONFIG listing the known ones, exit 2). */
export function describeModel(name: string): ModelDetails {
  const entry = defaultModelRegistry().get(name);
  return {
    name: entry.name,
    displayName: entry.displayName,
    kind: entry.kind,
    feedback: entry.feedback,
    summary: entry.summary,
    reference: entry.reference,
    hyperParameters: Object.entries(entry.defaults).map(([key, value]) => ({
      name: key,
      default: value,
      description: entry.hyperParameterDocs[key]?.description ?? '',
      range: entry.hyperParameterDocs[key]?.range ?? null,
    })),
  };
}

function renderList(models: ModelSummary[]): string {
  return formatTable(
    ['name', 'model', 'kind', 'feedback', 'summary'],
    models.map((model) => [model.name, model.displayName, model.kind, model.feedback, model.summary]),
  );
}

function renderDetails(details: ModelDetails): string {
  return [
    `${details.displayName} (${details.name}) — ${details.kind}, ${details.feedback} feedback`,
    details.summary,
    `reference: ${details.reference.citation}`,
    ...(details.reference.equations ? [`equations: ${details.reference.equations}`] : []),
    ...(details.reference.seed ? [`seed paper: ../shared/seeds/${details.reference.seed}_*`] : []),
    '',
    formatTable(
      ['hyper-parameter', 'default', 'range', 'description'],
      details.hyperParameters.map((parameter) => [
        parameter.name,
        JSON.stringify(parameter.default),
        parameter.range ?? '',
        parameter.description,
      ]),
    ),
  ].join('\n');
}

/** `trustrec list models`: the `list` group (other packages may add `list <thing>` subcommands here). */
export const listCommand: CommandModule = {
  name: 'list',
  register(program: Command) {
    const list = program.command('list').description('list registered things');
    list
      .command('models')
      .description('the recommenders `trustrec train --model` accepts')
      .option('--json', 'print the result as JSON')
      .action((options: OutputOptions) => {
        printResult(listModels(), options, renderList);
      });
  },
};

/** `trustrec describe <model>`: defaults, ranges and the paper behind a model. */
export const describeCommand: CommandModule = {
  name: 'describe',
  register(program: Command) {
    program
      .command('describe <model>')
      .description('hyper-parameters (defaults, ranges) and the published reference of a model')
      .option('--json', 'print the result as JSON')
      .action((name: string, options: OutputOptions) => {
        printResult(describeModel(name), options, renderDetails);
      });
  },
};
