import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { TrustRecError } from '@trustrec/core-linalg';
import { datasetParseError } from '../errors/dataset-parse-error.js';

/** Text encodings of the dataset files we read. `latin1` is ISO-8859-1 (every byte valid); `utf-8` is strict. */
export type TextEncoding = 'utf-8' | 'latin1';

/** Receives each non-blank line (without its `\n` / `\r\n`) and its 1-based line number. */
export type LineHandler = (line: string, lineNumber: number) => void;

/** What a line reader saw: total lines, blank lines skipped (reported, never hidden), and bytes. */
export interface LineStats {
  lines: number;
  blankLines: number;
  bytes: number;
  /** Hex sha256 of the file's bytes (file readers only). */
  sha256?: string;
}

const CHUNK_BYTES = 4 * 1024 * 1024;

function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    if (code !== 32 && code !== 9 && code !== 13) return false;
  }
  return true;
}

/** Splits `text` into lines, calls `onLine` for each non-blank one, and returns the counts. */
export function forEachLineOfText(
  text: string,
  onLine: LineHandler,
  firstLineNumber = 1,
  stats?: LineStats,
): LineStats {
  const result = stats ?? { lines: 0, blankLines: 0, bytes: text.length };
  let start = text.charCodeAt(0) === 0xfeff && firstLineNumber === 1 ? 1 : 0;
  let lineNumber = firstLineNumber;
  const length = text.length;
  while (start < length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = length;
    let line = text.slice(start, end);
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
    result.lines++;
    if (isBlank(line)) result.blankLines++;
    else onLine(line, lineNumber);
    lineNumber++;
    start = end + 1;
  }
  return result;
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes bytes in the given encoding. Invalid UTF-8 is an `E_DATASET_PARSE` error naming the first bad line
 * (counted from `firstLineNumber`), never replaced by U+FFFD.
 */
export function decodeBytes(bytes: Uint8Array, file: string, encoding: TextEncoding, firstLineNumber = 1): string {
  if (encoding === 'latin1') return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  try {
    return utf8Decoder.decode(bytes);
  } catch (cause) {
    let lineStart = 0;
    let lineNumber = firstLineNumber;
    for (let i = 0; i <= bytes.length; i++) {
      if (i === bytes.length || bytes[i] === 10) {
        try {
          utf8Decoder.decode(bytes.subarray(lineStart, i));
        } catch {
          throw datasetParseError(
            { file, line: lineNumber, field: 'line' },
            'the line is not valid UTF-8 (bad encoding); re-save the file as UTF-8',
          );
        }
        lineNumber++;
        lineStart = i + 1;
      }
    }
    throw new TrustRecError({ code: 'E_DATASET_PARSE', message: `${file}: not valid UTF-8`, cause, details: { file } });
  }
}

/**
 * Streams a file line by line in 4 MiB chunks (memory independent of file size), decoding each chunk up to its
 * last newline, so arbitrarily large files (MovieLens-25M) are read without holding their text.
 */
export async function forEachLineOfFile(
  path: string,
  file: string,
  encoding: TextEncoding,
  onLine: LineHandler,
): Promise<LineStats> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    throw new TrustRecError({
      code: 'E_IO',
      message: `cannot open ${path}: ${(cause as Error).message}`,
      cause,
      details: { file: path },
    });
  }
  const stats: LineStats = { lines: 0, blankLines: 0, bytes: 0 };
  const hash = createHash('sha256');
  try {
    let buffer = new Uint8Array(CHUNK_BYTES);
    let carried = 0;
    let lineNumber = 1;
    let first = true;
    for (;;) {
      if (carried === buffer.length) {
        const bigger = new Uint8Array(buffer.length * 2);
        bigger.set(buffer);
        buffer = bigger;
      }
      const { bytesRead } = await handle.read(buffer, carried, buffer.length - carried, null);
      stats.bytes += bytesRead;
      if (bytesRead > 0) hash.update(buffer.subarray(carried, carried + bytesRead));
      const filled = carried + bytesRead;
      const atEnd = bytesRead === 0;
      let cut = filled;
      if (!atEnd) {
        cut = buffer.lastIndexOf(10, filled - 1) + 1;
        if (cut === 0) {
          carried = filled;
          continue;
        }
      }
      if (cut > 0) {
        let text = decodeBytes(buffer.subarray(0, cut), file, encoding, lineNumber);
        if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        first = false;
        const before = stats.lines;
        forEachLineOfText(text, onLine, lineNumber, stats);
        lineNumber += stats.lines - before;
      }
      if (atEnd) break;
      buffer.copyWithin(0, cut, filled);
      carried = filled - cut;
    }
  } finally {
    await handle.close();
  }
  stats.sha256 = hash.digest('hex');
  return stats;
}
