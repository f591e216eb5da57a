import { datasetParseError } from '../errors/dataset-parse-error.js';

/**
 * Splits a line on `delimiter` and checks the field count (exactly `expected`, or at least `expected` when
 * `atLeast`). Wrong counts are `E_DATASET_PARSE` errors naming file and line (this is how truncated lines show).
 */
export function splitFields(
  line: string,
  delimiter: string,
  expected: number,
  file: string,
  lineNumber: number,
  atLeast = false,
): string[] {
  const fields = line.split(delimiter);
  if (atLeast ? fields.length < expected : fields.length !== expected) {
    throw datasetParseError(
      { file, line: lineNumber, field: 'line' },
      `expected ${atLeast ? 'at least ' : ''}${expected} fields separated by ${JSON.stringify(delimiter)}, found ${fields.length} (wrong column count or truncated line)`,
      line,
    );
  }
  return fields;
}

/** Parses a base-10 integer (optional leading minus, digits only, no spaces), or throws naming the field. */
export function parseIntegerField(text: string, file: string, lineNumber: number, field: string): number {
  const length = text.length;
  let position = 0;
  let negative = false;
  if (length > 0 && text.charCodeAt(0) === 45) {
    negative = true;
    position = 1;
  }
  if (position === length || length - position > 15) {
    throw datasetParseError({ file, line: lineNumber, field }, 'expected an integer', text);
  }
  let value = 0;
  for (; position < length; position++) {
    const digit = text.charCodeAt(position) - 48;
    if (digit < 0 || digit > 9) throw datasetParseError({ file, line: lineNumber, field }, 'expected an integer', text);
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Parses a finite decimal number (no hex, no `Infinity`, no blanks), or throws naming the field. */
export function parseNumberField(text: string, file: string, lineNumber: number, field: string): number {
  if (!DECIMAL.test(text))
    throw datasetParseError({ file, line: lineNumber, field }, 'expected a finite decimal number', text);
  const value = Number(text);
  if (!Number.isFinite(value))
    throw datasetParseError({ file, line: lineNumber, field }, 'expected a finite decimal number', text);
  return value;
}

/** A raw id: non-empty and without surrounding whitespace. */
export function requireIdField(text: string, file: string, lineNumber: number, field: string): string {
  if (text.length === 0 || text.trim() !== text) {
    throw datasetParseError(
      { file, line: lineNumber, field },
      text.length === 0 ? 'the id is empty' : 'the id has surrounding whitespace',
      text,
    );
  }
  return text;
}

/** Splits one CSV record (RFC 4180 quoting with `""` escapes) on a one-character delimiter. */
export function splitQuotedFields(line: string, delimiter: string, file: string, lineNumber: number): string[] {
  const fields: string[] = [];
  let position = 0;
  const length = line.length;
  for (;;) {
    if (position < length && line[position] === '"') {
      let value = '';
      position++;
      for (;;) {
        const close = line.indexOf('"', position);
        if (close < 0)
          throw datasetParseError(
            { file, line: lineNumber, field: `column ${fields.length + 1}` },
            'unterminated quoted field',
            line,
          );
        value += line.slice(position, close);
        if (line[close + 1] === '"') {
          value += '"';
          position = close + 2;
          continue;
        }
        position = close + 1;
        break;
      }
      fields.push(value);
      if (position === length) return fields;
      if (line[position] !== delimiter) {
        throw datasetParseError(
          { file, line: lineNumber, field: `column ${fields.length}` },
          `expected ${JSON.stringify(delimiter)} after a closing quote`,
          line,
        );
      }
      position++;
    } else {
      const next = line.indexOf(delimiter, position);
      if (next < 0) {
        fields.push(line.slice(position));
        return fields;
      }
      fields.push(line.slice(position, next));
      position = next + 1;
    }
  }
}

/** Checks a quoted-CSV field count. */
export function requireFieldCount(
  fields: string[],
  expected: number,
  file: string,
  lineNumber: number,
  line: string,
): void {
  if (fields.length !== expected) {
    throw datasetParseError(
      { file, line: lineNumber, field: 'line' },
      `expected ${expected} fields, found ${fields.length} (wrong column count or truncated line)`,
      line,
    );
  }
}

/** Integer in line[start, end), or NaN when the text is not a plain base-10 integer (hot-path form, no allocation). */
export function integerInRange(line: string, start: number, end: number): number {
  let position = start;
  let negative = false;
  if (position < end && line.charCodeAt(position) === 45) {
    negative = true;
    position++;
  }
  if (position === end || end - position > 15) return Number.NaN;
  let value = 0;
  for (; position < end; position++) {
    const digit = line.charCodeAt(position) - 48;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

/** Non-negative decimal like `4`, `4.5`, `0.5` in line[start, end), or NaN (hot-path form; others use parseNumberField). */
export function decimalInRange(line: string, start: number, end: number): number {
  let value = 0;
  let position = start;
  let digits = 0;
  for (; position < end; position++) {
    const digit = line.charCodeAt(position) - 48;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
    digits++;
  }
  if (position < end && line.charCodeAt(position) === 46) {
    position++;
    let scale = 0.1;
    for (; position < end; position++) {
      const digit = line.charCodeAt(position) - 48;
      if (digit < 0 || digit > 9) return Number.NaN;
      value += digit * scale;
      scale /= 10;
      digits++;
    }
  }
  return position === end && digits > 0 && end - start <= 20 ? value : Number.NaN;
}

/**
 * An integer id in line[start, end) in canonical form (no leading zeros, no "-0"), or NaN. Ids are stored as their
 * decimal text, so "007" must not silently become "7"; such ids take the precise path and fail there.
 */
export function idIntegerInRange(line: string, start: number, end: number): number {
  const first = line.charCodeAt(start);
  if (first === 48 && end - start > 1) return Number.NaN;
  if (first === 45 && line.charCodeAt(start + 1) === 48) return Number.NaN;
  return integerInRange(line, start, end);
}

/** Parses an integer id and requires its canonical decimal form (what the dataset will store as the raw id). */
export function parseIdField(text: string, file: string, lineNumber: number, field: string): number {
  const value = parseIntegerField(text, file, lineNumber, field);
  if (String(value) !== text) {
    throw datasetParseError(
      { file, line: lineNumber, field },
      'integer id is not in canonical form (leading zeros or -0 would change the id)',
      text,
    );
  }
  return value;
}
