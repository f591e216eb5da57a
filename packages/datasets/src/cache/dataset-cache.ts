import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Dataset } from '../core/dataset.js';
import { CACHE_FORMAT_VERSION, decodeDataset, encodeDataset } from './binary-dataset-codec.js';

/** The cache root: `TRUSTREC_CACHE_DIR`, else `$XDG_CACHE_HOME/trustrec`, else `~/.cache/trustrec`. */
export function defaultCacheDir(): string {
  if (process.env.TRUSTREC_CACHE_DIR) return path.resolve(process.env.TRUSTREC_CACHE_DIR);
  const base = process.env.XDG_CACHE_HOME ? path.resolve(process.env.XDG_CACHE_HOME) : path.join(homedir(), '.cache');
  return path.join(base, 'trustrec');
}

/**
 * The cache key of a parsed dataset: dataset name, cache format, load options, and the name, size and
 * modification time of every file in its source folder, so editing or replacing a file invalidates the entry.
 */
export async function datasetCacheKey(
  name: string,
  directory: string,
  options: Record<string, unknown>,
): Promise<string> {
  const entries = (await readdir(directory, { withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)
    .sort();
  const files = [];
  for (const file of entries) {
    const info = await stat(path.join(directory, file));
    files.push([file, info.size, Math.round(info.mtimeMs)]);
  }
  return createHash('sha256')
    .update(JSON.stringify({ name, version: CACHE_FORMAT_VERSION, directory: path.resolve(directory), options, files }))
    .digest('hex')
    .slice(0, 20);
}

/** Path of a parsed-dataset cache entry. */
export function cacheEntryPath(cacheDir: string, name: string, key: string): string {
  return path.join(cacheDir, 'parsed', `${name}-${key}.trds`);
}

/** Reads a cache entry; undefined when absent or unreadable (a damaged entry is deleted and re-parsed). */
export async function readCachedDataset(file: string): Promise<Dataset | undefined> {
  const started = performance.now();
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return undefined;
  }
  try {
    return decodeDataset(bytes, performance.now() - started);
  } catch {
    await unlink(file).catch(() => undefined);
    return undefined;
  }
}

/** Writes a cache entry atomically (temporary file + rename), so concurrent readers never see half a file. */
export async function writeCachedDataset(file: string, dataset: Dataset): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, encodeDataset(dataset));
  await rename(temporary, file);
}
