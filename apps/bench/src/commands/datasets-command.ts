import {
  type DatasetSummary,
  type LoadDatasetOptions,
  type ProgressEvent,
  describeDataset,
  fetchDataset,
  listDatasets,
  loadDataset,
  loadNcfSplit,
} from '@trustrec/datasets';
import type { Command } from 'commander';
import { type OutputOptions, formatTable, printResult } from '../output/print-result.js';
import { type ProgressReporter, createProgress } from '../output/progress.js';
import type { CommandModule } from './command-module.js';

interface SourceOptions extends OutputOptions {
  dataDir?: string;
  cacheDir?: string;
  cache?: boolean;
  download?: boolean;
  mirror?: string;
}

/** Progress bars per phase (download bytes, extraction), quiet with --json or without a terminal. */
function progressHandler(options: OutputOptions): { onProgress: (event: ProgressEvent) => void; finish: () => void } {
  let current: { phase: string; bar: ProgressReporter } | undefined;
  return {
    onProgress(event) {
      if (event.phase !== 'download' || event.total === undefined) return;
      if (!current || current.phase !== event.phase) {
        current?.bar.finish();
        current = { phase: event.phase, bar: createProgress(`${event.phase} ${event.file}`, event.total, options) };
      }
      current.bar.update(event.done);
    },
    finish() {
      current?.bar.finish();
    },
  };
}

function loadOptions(options: SourceOptions, onProgress: (event: ProgressEvent) => void): LoadDatasetOptions {
  return {
    dataDir: options.dataDir,
    cacheDir: options.cacheDir,
    cache: options.cache,
    download: options.download,
    mirror: options.mirror,
    onProgress,
  };
}

const number = (value: number) => value.toLocaleString('en-US');

/** Renders `datasets info` for people. */
export function renderSummary(summary: DatasetSummary): string {
  const lines = [
    `${summary.name}${summary.synthetic ? ' (SYNTHETIC)' : ''} — from ${summary.source}${summary.loadReport.fromCache ? ' (parsed-dataset cache)' : ''}, ${summary.loadReport.milliseconds} ms`,
    `  users ${number(summary.users)}, items ${number(summary.items)}, interactions ${number(summary.interactions)}, density ${(100 * summary.density).toFixed(2)} %`,
    `  ${summary.implicit ? 'implicit feedback (values 1)' : `explicit ratings ${summary.ratingScale?.min}–${summary.ratingScale?.max}`}; timestamps: ${
      summary.timestamps.present
        ? `${new Date((summary.timestamps.min ?? 0) * 1000).toISOString().slice(0, 10)} … ${new Date((summary.timestamps.max ?? 0) * 1000).toISOString().slice(0, 10)}`
        : 'none'
    }`,
    `  per user ${summary.interactionsPerUser.min}–${summary.interactionsPerUser.max} (mean ${summary.interactionsPerUser.mean.toFixed(1)}), per item ${summary.interactionsPerItem.min}–${summary.interactionsPerItem.max} (mean ${summary.interactionsPerItem.mean.toFixed(1)})`,
  ];
  if (summary.ratingCounts)
    lines.push(
      `  ratings: ${Object.entries(summary.ratingCounts)
        .map(([value, count]) => `${value}: ${number(count)}`)
        .join(' · ')}`,
    );
  for (const attribute of summary.attributes) {
    if (attribute.kind === 'numeric') {
      lines.push(
        `  user ${attribute.name} (numeric): ${attribute.min}–${attribute.max}, mean ${attribute.mean.toFixed(2)}${attribute.missing ? `, ${attribute.missing} missing` : ''}`,
      );
    } else {
      const counts = Object.entries(attribute.counts).map(([level, count]) => `${level}: ${count}`);
      lines.push(
        `  user ${attribute.name} (${attribute.kind}, ${attribute.levels} levels): ${counts.slice(0, 24).join(' · ')}${counts.length > 24 ? ' …' : ''}${attribute.missing ? `, ${attribute.missing} missing` : ''}`,
      );
    }
  }
  if (summary.categories) {
    const counts = Object.entries(summary.categories.counts)
      .sort((a, b) => b[1] - a[1])
      .map(([name, count]) => `${name} ${count}`);
    lines.push(
      `  item categories (${summary.categories.count}): ${counts.slice(0, 24).join(' · ')}${counts.length > 24 ? ' …' : ''}`,
    );
  }
  lines.push(
    `  load: ${number(summary.loadReport.rowsRead)} rows read, ${summary.loadReport.duplicates} duplicates (${summary.loadReport.duplicatePolicy}), ${summary.loadReport.rejectedRows} rejected`,
  );
  for (const note of summary.loadReport.notes) lines.push(`  note: ${note}`);
  if (summary.license) lines.push(`  license: ${summary.license}`);
  return lines.join('\n');
}

function addSourceOptions(command: Command): Command {
  return command
    .option('--data-dir <dir>', 'folder with one sub-folder per dataset (default: TRUSTREC_DATA_DIR)')
    .option(
      '--cache-dir <dir>',
      'cache for downloads and parsed datasets (default: TRUSTREC_CACHE_DIR or ~/.cache/trustrec)',
    )
    .option('--mirror <url>', 'base URL of a mirror replacing the official download host')
    .option('--json', 'print the result as JSON');
}

export const datasetsCommand: CommandModule = {
  name: 'datasets',
  register(program: Command) {
    const datasets = program
      .command('datasets')
      .description('list, inspect and fetch datasets (MovieLens, Last.fm, Book-Crossing, Yelp, Foursquare, NCF split)');
    datasets
      .command('list')
      .description('list the datasets known by name, with sources and license notes')
      .option('--json', 'print the list as JSON')
      .action((options: OutputOptions) => {
        printResult(listDatasets(), options, (list) =>
          formatTable(
            ['name', 'source', 'description'],
            list.map((entry) => [entry.name, entry.url ? 'download' : 'manual', entry.description]),
          ),
        );
      });
    addSourceOptions(
      datasets
        .command('info <name>')
        .description(
          'load a dataset and print users, items, interactions, density, rating scale, timestamps, attributes and categories',
        )
        .option('--no-cache', 'parse the original files even when a parsed copy is cached')
        .option('--download', 'download the dataset when it is not found locally'),
    ).action(async (name: string, options: SourceOptions) => {
      const progress = progressHandler(options);
      if (name === 'ml-1m-ncf') {
        // The published split is the point of this dataset: show its counts beside the summary.
        const { dataset, split } = await loadNcfSplit(loadOptions(options, progress.onProgress));
        progress.finish();
        const candidates = split.candidates;
        const summary = {
          ...describeDataset(dataset),
          split: {
            ...split.description.counts,
            candidates: candidates ? { rows: candidates.users.length, perRow: candidates.numCandidates } : null,
            notes: split.description.notes,
          },
        };
        printResult(summary, options, (value) => `${renderSummary(value)}\n  split: ${split.description.summary}`);
        return;
      }
      const dataset = await loadDataset(name, loadOptions(options, progress.onProgress));
      progress.finish();
      printResult(describeDataset(dataset), options, renderSummary);
    });
    addSourceOptions(
      datasets
        .command('fetch <name>')
        .description('download (sha256-checked, cached, extracted) and parse a dataset once so later loads are fast'),
    ).action(async (name: string, options: SourceOptions) => {
      const progress = progressHandler(options);
      const located = await fetchDataset(name, loadOptions(options, progress.onProgress));
      const dataset = await loadDataset(name, loadOptions(options, progress.onProgress));
      progress.finish();
      const result = {
        name,
        directory: located.directory,
        source: located.source,
        users: dataset.numUsers,
        items: dataset.numItems,
        interactions: dataset.interactions.nnz,
        files: dataset.provenance.files.map((file) => ({ name: file.name, bytes: file.bytes, sha256: file.sha256 })),
      };
      printResult(result, options, (value) =>
        [
          `${value.name}: ${value.source === 'local' ? 'found in' : 'downloaded to'} ${value.directory}`,
          `  users ${number(value.users)}, items ${number(value.items)}, interactions ${number(value.interactions)}`,
          ...value.files.map((file) => `  ${file.name}  ${file.bytes} bytes  sha256 ${file.sha256}`),
        ].join('\n'),
      );
    });
  },
};
