import { readFile } from 'node:fs/promises';
import { CsrMatrix, TrustRecError, argumentError, shapeError } from '@trustrec/core-linalg';
import {
  type EvaluationResult,
  RANKING_METRIC_NAMES,
  type RankingMetricName,
  evaluateFullRanking,
  evaluateSampled,
} from '@trustrec/metrics';
import type { Command } from 'commander';
import { parseIntegerListOption } from '../output/parse-options.js';
import { type OutputOptions, formatTable, printResult } from '../output/print-result.js';
import { type ProgressReporter, createProgress } from '../output/progress.js';
import type { CommandModule } from './command-module.js';

const WHERE = 'eval-scores';

/** What `trustrec eval-scores --json` prints. NaN means (undefined) are written as null. */
export interface EvalScoresReport {
  file?: string;
  protocol: 'full' | 'sampled';
  /** How tied scores are ranked (see the command's help). */
  tieRule: 'lower-item-index-first' | 'strict-greater';
  ks: number[];
  usersEvaluated: number;
  /** Users with no positive: not evaluated, counted here. */
  usersSkipped: number;
  /** metrics[k][name]: the mean over evaluated users. */
  metrics: Record<string, Record<RankingMetricName, number | null>>;
  /** Mean per-user AUC over users with at least one negative candidate. */
  auc: number | null;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireArray(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw argumentError(WHERE, `${field} must be an array, got ${describe(value)}`, { field });
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (the field is missing)';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}…` : value)}`;
  return typeof value === 'object' ? 'an object' : String(value);
}

function requireItemIndex(value: unknown, field: string, numItems: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= numItems) {
    const range = Number.isFinite(numItems) ? `[0, ${numItems})` : '[0, ∞)';
    throw argumentError(WHERE, `${field} must be an item index (integer in ${range}), got ${describe(value)}`, {
      field,
    });
  }
  return value;
}

/** Copies a JSON array of distinct item indices into `target` (returns the count), naming the field on error. */
function readItemList(value: unknown, field: string, numItems: number, seen: Set<number>): number[] {
  const list = requireArray(value, field);
  const items: number[] = [];
  for (let j = 0; j < list.length; j++) {
    const item = requireItemIndex(list[j], `${field}[${j}]`, numItems);
    if (seen.has(item))
      throw argumentError(
        WHERE,
        `${field}[${j}] = ${item} is listed twice (or also appears in another list of this user)`,
        { field: `${field}[${j}]` },
      );
    seen.add(item);
    items.push(item);
  }
  return items;
}

function readScores(value: unknown, field: string, expected: number, target: Float32Array, offset: number): void {
  const scores = requireArray(value, field);
  if (scores.length !== expected) {
    throw shapeError(WHERE, `${field} has ${scores.length} entries, expected ${expected}`, { field });
  }
  for (let j = 0; j < expected; j++) {
    const score = scores[j];
    if (typeof score !== 'number' || !Number.isFinite(score)) {
      throw argumentError(WHERE, `${field}[${j}] must be a finite number, got ${describe(score)}`, {
        field: `${field}[${j}]`,
      });
    }
    target[offset + j] = score;
  }
}

function toReport(result: EvaluationResult, tieRule: EvalScoresReport['tieRule']): EvalScoresReport {
  const metrics: EvalScoresReport['metrics'] = {};
  for (const k of result.ks) {
    const row = {} as Record<RankingMetricName, number | null>;
    for (const name of RANKING_METRIC_NAMES) {
      const value = result.mean[name][k];
      row[name] = Number.isNaN(value) ? null : value;
    }
    metrics[String(k)] = row;
  }
  return {
    protocol: result.protocol,
    tieRule,
    ks: result.ks,
    usersEvaluated: result.usersEvaluated,
    usersSkipped: result.usersSkipped,
    metrics,
    auc: Number.isNaN(result.auc) ? null : result.auc,
  };
}

/**
 * Evaluates a parsed scores document (the JSON format of `trustrec eval-scores`) at the given cut-offs.
 *
 * Full ranking: `{ "numItems": N, "users": [ { "scores": [N numbers], "positives": [items], "exclude": [items] } ] }`
 * — every item except `exclude` is a candidate; ties rank the lower item index first.
 * Sampled: `{ "users": [ { "candidates": [items], "scores": [one per candidate], "positive": item } ] }` — the
 * positive's rank is 1 + the number of candidates scoring strictly higher (ties in the positive's favour).
 * Users without positives (empty `positives`, or `positive` null/absent) are skipped and counted. Scores are
 * evaluated as 32-bit floats, the precision TrustRec models produce. Malformed input throws E_ARGUMENT /
 * E_SHAPE naming the user index and field.
 */
export async function evaluateScoresDocument(
  document: unknown,
  ks: readonly number[],
  options: { onProgress?: (done: number, total: number) => void } = {},
): Promise<EvalScoresReport> {
  if (!isObject(document))
    throw argumentError(WHERE, `the document must be a JSON object with a "users" array, got ${describe(document)}`);
  const users = requireArray(document.users, 'users');
  const hasNumItems = document.numItems !== undefined;
  const sampled = !hasNumItems && users.length > 0 && isObject(users[0]) && users[0].candidates !== undefined;
  if (!hasNumItems && !sampled) {
    throw argumentError(
      WHERE,
      'cannot tell the protocol: give "numItems" with users of { scores, positives, exclude } (full ranking), or users of { candidates, scores, positive } (sampled)',
    );
  }
  return sampled
    ? evaluateSampledDocument(users, ks, options.onProgress)
    : evaluateFullDocument(document.numItems, users, ks, options.onProgress);
}

async function evaluateFullDocument(
  numItemsValue: unknown,
  users: unknown[],
  ks: readonly number[],
  onProgress?: (done: number, total: number) => void,
): Promise<EvalScoresReport> {
  if (typeof numItemsValue !== 'number' || !Number.isInteger(numItemsValue) || numItemsValue < 1) {
    throw argumentError(WHERE, `numItems must be a positive integer, got ${describe(numItemsValue)}`, {
      field: 'numItems',
    });
  }
  const numItems = numItemsValue;
  const numUsers = users.length;
  const scores = new Float32Array(numUsers * numItems);
  const testRows: number[] = [];
  const testColumns: number[] = [];
  const excludeRows: number[] = [];
  const excludeColumns: number[] = [];
  for (let u = 0; u < numUsers; u++) {
    const user = users[u];
    const prefix = `users[${u}]`;
    if (!isObject(user))
      throw argumentError(WHERE, `${prefix} must be an object { scores, positives, exclude }, got ${describe(user)}`);
    if (user.candidates !== undefined || user.positive !== undefined) {
      throw argumentError(
        WHERE,
        `${prefix} has sampled-protocol fields (candidates / positive) in a full-ranking document (numItems is set)`,
      );
    }
    readScores(user.scores, `${prefix}.scores`, numItems, scores, u * numItems);
    const seen = new Set<number>();
    for (const item of readItemList(user.positives, `${prefix}.positives`, numItems, seen)) {
      testRows.push(u);
      testColumns.push(item);
    }
    if (user.exclude !== undefined) {
      const positives = new Set(seen);
      const excluded = requireArray(user.exclude, `${prefix}.exclude`);
      for (let j = 0; j < excluded.length; j++) {
        const item = requireItemIndex(excluded[j], `${prefix}.exclude[${j}]`, numItems);
        if (positives.has(item)) {
          throw argumentError(
            WHERE,
            `${prefix}.exclude[${j}] = ${item} is also one of ${prefix}.positives; a positive must stay a candidate`,
            { field: `${prefix}.exclude[${j}]` },
          );
        }
        if (seen.has(item))
          throw argumentError(WHERE, `${prefix}.exclude[${j}] = ${item} is listed twice`, {
            field: `${prefix}.exclude[${j}]`,
          });
        seen.add(item);
        excludeRows.push(u);
        excludeColumns.push(item);
      }
    }
  }
  const shape = { numRows: numUsers, numColumns: numItems, duplicates: 'error' as const };
  const test = CsrMatrix.fromCoo({ rows: Int32Array.from(testRows), columns: Int32Array.from(testColumns) }, shape);
  const exclude = CsrMatrix.fromCoo(
    { rows: Int32Array.from(excludeRows), columns: Int32Array.from(excludeColumns) },
    shape,
  );
  const result = await evaluateFullRanking({
    numUsers,
    numItems,
    test,
    exclude,
    ks,
    onProgress,
    score: (batch, out) => {
      for (let t = 0; t < batch.length; t++)
        out.set(scores.subarray(batch[t] * numItems, (batch[t] + 1) * numItems), t * numItems);
    },
  });
  return toReport(result, 'lower-item-index-first');
}

async function evaluateSampledDocument(
  users: unknown[],
  ks: readonly number[],
  onProgress?: (done: number, total: number) => void,
): Promise<EvalScoresReport> {
  let numCandidates = -1;
  let firstRow = -1;
  const kept: number[] = [];
  for (let u = 0; u < users.length; u++) {
    const user = users[u];
    const prefix = `users[${u}]`;
    if (!isObject(user))
      throw argumentError(WHERE, `${prefix} must be an object { candidates, scores, positive }, got ${describe(user)}`);
    if (user.positives !== undefined || user.exclude !== undefined) {
      throw argumentError(
        WHERE,
        `${prefix} has full-ranking fields (positives / exclude) in a sampled document; full ranking needs "numItems" at the top level`,
      );
    }
    const candidates = requireArray(user.candidates, `${prefix}.candidates`);
    const scores = requireArray(user.scores, `${prefix}.scores`);
    if (scores.length !== candidates.length) {
      throw shapeError(
        WHERE,
        `${prefix}.scores has ${scores.length} entries but ${prefix}.candidates has ${candidates.length}; give one score per candidate`,
        { field: `${prefix}.scores` },
      );
    }
    if (user.positive === undefined || user.positive === null) continue;
    if (numCandidates === -1) {
      numCandidates = candidates.length;
      firstRow = u;
    } else if (candidates.length !== numCandidates) {
      throw shapeError(
        WHERE,
        `${prefix}.candidates has ${candidates.length} entries but users[${firstRow}].candidates has ${numCandidates}; the sampled protocol needs the same number of candidates for every user`,
        { field: `${prefix}.candidates` },
      );
    }
    kept.push(u);
  }
  const count = kept.length;
  const skipped = users.length - count;
  if (count === 0) {
    const empty = await evaluateSampled({
      candidates: { users: new Int32Array(0), items: new Int32Array(0), numCandidates: 1 },
      score: () => {},
      ks,
    });
    return { ...toReport(empty, 'strict-greater'), usersSkipped: skipped };
  }
  const userIds = Int32Array.from(kept);
  const rowOf = new Int32Array(users.length);
  for (let row = 0; row < count; row++) rowOf[kept[row]] = row;
  const items = new Int32Array(count * numCandidates);
  const scores = new Float32Array(count * numCandidates);
  for (let row = 0; row < count; row++) {
    const u = kept[row];
    const user = users[u] as JsonObject;
    const prefix = `users[${u}]`;
    const candidates = user.candidates as unknown[];
    const raw = new Float32Array(numCandidates);
    readScores(user.scores, `${prefix}.scores`, numCandidates, raw, 0);
    const positive = requireItemIndex(user.positive, `${prefix}.positive`, Number.POSITIVE_INFINITY);
    const seen = new Set<number>();
    let positiveAt = -1;
    const list = readItemList(candidates, `${prefix}.candidates`, Number.POSITIVE_INFINITY, seen);
    for (let c = 0; c < numCandidates; c++) if (list[c] === positive) positiveAt = c;
    if (positiveAt === -1)
      throw argumentError(WHERE, `${prefix}.positive = ${positive} is not one of ${prefix}.candidates`, {
        field: `${prefix}.positive`,
      });
    // Positive first, then the negatives in file order.
    const base = row * numCandidates;
    items[base] = positive;
    scores[base] = raw[positiveAt];
    for (let c = 0, out = 1; c < numCandidates; c++) {
      if (c === positiveAt) continue;
      items[base + out] = list[c];
      scores[base + out] = raw[c];
      out++;
    }
  }
  const result = await evaluateSampled({
    candidates: { users: userIds, items, numCandidates },
    ks,
    onProgress,
    score: (batch, _items, out) => {
      for (let t = 0; t < batch.length; t++) {
        const start = rowOf[batch[t]] * numCandidates;
        out.set(scores.subarray(start, start + numCandidates), t * numCandidates);
      }
    },
  });
  return { ...toReport(result, 'strict-greater'), usersSkipped: skipped };
}

/** Reads and evaluates a scores file: the whole `trustrec eval-scores` command minus printing. */
export async function runEvalScores(
  file: string,
  options: { k?: string; json?: boolean } = {},
): Promise<EvalScoresReport> {
  const ks = parseIntegerListOption('k', options.k ?? '5,10,20', 1);
  const repeated = ks.find((k, index) => ks.indexOf(k) !== index);
  if (repeated !== undefined) throw argumentError('trustrec', `--k lists ${repeated} twice`, { option: 'k' });
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw argumentError(WHERE, `the file ${file} does not exist`, { file });
    throw new TrustRecError({
      code: 'E_IO',
      message: `${WHERE}: cannot read ${file}: ${(error as Error).message}`,
      cause: error,
      details: { file },
    });
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new TrustRecError({
      code: 'E_FORMAT',
      message: `${WHERE}: ${file} is not valid JSON: ${(error as Error).message}`,
      cause: error,
      details: { file },
    });
  }
  let progress: ProgressReporter | undefined;
  try {
    const report = await evaluateScoresDocument(document, ks, {
      onProgress: (done, total) => {
        progress ??= createProgress('eval-scores', total, { json: options.json });
        progress.update(done);
      },
    });
    return { file, ...report };
  } finally {
    progress?.finish();
  }
}

function formatValue(value: number | null): string {
  return value === null ? 'n/a' : value.toFixed(4);
}

function renderEvalScores(report: EvalScoresReport): string {
  const protocol =
    report.protocol === 'full'
      ? 'full ranking (all items except excluded; ties: lower item index first)'
      : 'sampled (ties: strictly higher scores only)';
  return [
    `${report.file ?? 'scores'}: ${protocol}`,
    `  users evaluated ${report.usersEvaluated}, skipped (no positives) ${report.usersSkipped}`,
    '',
    formatTable(
      ['K', ...RANKING_METRIC_NAMES],
      report.ks.map((k) => [
        String(k),
        ...RANKING_METRIC_NAMES.map((name) => formatValue(report.metrics[String(k)][name])),
      ]),
    ),
    '',
    `AUC ${formatValue(report.auc)}`,
  ].join('\n');
}

export const evalScoresCommand: CommandModule = {
  name: 'eval-scores',
  register(program: Command) {
    program
      .command('eval-scores')
      .description(
        'evaluate rankings produced anywhere: HR, NDCG, precision, recall, MRR, MAP at each K and mean AUC from a JSON file of scores ' +
          '(full ranking: {"numItems", "users": [{"scores", "positives", "exclude"}]}; sampled: {"users": [{"candidates", "scores", "positive"}]})',
      )
      .argument('<file>', 'JSON file of scores')
      .option('--k <list>', 'comma-separated cut-offs', '5,10,20')
      .option('--json', 'print the report as JSON')
      .action(async (file: string, options: OutputOptions & { k: string }) => {
        printResult(await runEvalScores(file, options), options, renderEvalScores);
      });
  },
};
