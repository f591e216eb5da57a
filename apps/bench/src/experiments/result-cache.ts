import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { TrustRecError } from '@trustrec/core-linalg';
import type { DataSummary } from './experiment-engine.js';

/** Bumped when the meaning of a cached cell changes, so old caches are ignored rather than misread. */
export const CELL_CACHE_VERSION = 'trustrec-experiment-cell/1';

/** A trained model: (model, seed). */
export interface TrainCellRecord {
  readonly type: 'train';
  readonly version: typeof CELL_CACHE_VERSION;
  readonly key: string;
  readonly model: string;
  readonly seed: number;
  readonly seconds: number;
  /** The dataset and split the model was trained on. */
  readonly data: DataSummary;
  readonly summary: Record<string, unknown>;
  /** File name of the saved model under `cache/models/`. */
  readonly modelFile: string;
  readonly finishedAt: string;
}

/** One evaluation: (model, seed) clean (attack null) or under (attack, ε). */
export interface EvaluationCellRecord {
  readonly type: 'evaluation';
  readonly version: typeof CELL_CACHE_VERSION;
  readonly key: string;
  readonly trainKey: string;
  readonly model: string;
  readonly seed: number;
  readonly attack: string | null;
  readonly epsilon: number | null;
  readonly metrics: Record<string, number>;
  readonly usersEvaluated: number;
  /** Per-user values needed by comparisons, base64 of little-endian Float32 (users base64 Int32). */
  readonly perUser?: { readonly users: string; readonly values: Record<string, string> };
  readonly attackSummary?: Record<string, unknown>;
  /** Seconds spent perturbing and evaluating (training excluded). */
  readonly seconds: number;
  readonly finishedAt: string;
}

export type CellRecord = TrainCellRecord | EvaluationCellRecord;

/** Writes `contents` to `file` atomically: a temporary file in the same folder, then rename. */
export function writeFileAtomic(file: string, contents: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.tmp-${process.pid}-${randomUUID()}`;
  try {
    writeFileSync(temporary, contents);
    renameSync(temporary, file);
  } catch (cause) {
    rmSync(temporary, { force: true });
    throw new TrustRecError({
      code: 'E_IO',
      message: `cannot write ${file}: ${(cause as Error).message}`,
      cause,
      details: { file },
    });
  }
}

export function encodeFloat32(values: Float32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

export function decodeFloat32(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}

export function encodeInt32(values: Int32Array): string {
  return Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');
}

export function decodeInt32(text: string): Int32Array {
  const bytes = Buffer.from(text, 'base64');
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Int32Array(copy.buffer);
}

/**
 * The results cache of one output folder: `cache/cells/<key>.json` per finished cell and
 * `cache/models/<key>.bin` per trained model. Keys are sha256 hashes of exactly the configuration that
 * determines the cell (see experiment-runner.ts), so a re-run skips every finished cell, a changed ε grid or
 * seed count reuses the cells it shares, and an interrupted run resumes where it stopped. Every file is written
 * atomically as its cell finishes; a half-written file is never read as a result.
 */
export class ResultCache {
  readonly root: string;

  constructor(outDir: string) {
    this.root = path.join(outDir, 'cache');
  }

  cellPath(key: string): string {
    return path.join(this.root, 'cells', `${key}.json`);
  }

  modelPath(key: string): string {
    return path.join(this.root, 'models', `${key}.bin`);
  }

  /** The cached record, or undefined when absent, unreadable or from another cache version. */
  readCell<Record extends CellRecord>(key: string, type: Record['type']): Record | undefined {
    const file = this.cellPath(key);
    if (!existsSync(file)) return undefined;
    try {
      const record = JSON.parse(readFileSync(file, 'utf8')) as CellRecord;
      if (record.version !== CELL_CACHE_VERSION || record.type !== type || record.key !== key) return undefined;
      return record as Record;
    } catch {
      // A corrupt cell (e.g. written by a tool that was not atomic) is recomputed, not trusted.
      return undefined;
    }
  }

  writeCell(record: CellRecord): void {
    writeFileAtomic(this.cellPath(record.key), `${JSON.stringify(record)}\n`);
  }

  readModel(key: string): Uint8Array | undefined {
    const file = this.modelPath(key);
    if (!existsSync(file)) return undefined;
    return new Uint8Array(readFileSync(file));
  }

  writeModel(key: string, bytes: Uint8Array): void {
    writeFileAtomic(this.modelPath(key), bytes);
  }

  /** Keys of every cached cell (for tests and `--json` reports). */
  listCells(): string[] {
    const folder = path.join(this.root, 'cells');
    if (!existsSync(folder)) return [];
    return readdirSync(folder)
      .filter((name) => name.endsWith('.json'))
      .map((name) => name.slice(0, -'.json'.length));
  }
}
