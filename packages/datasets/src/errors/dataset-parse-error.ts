import { TrustRecError } from '@trustrec/core-linalg';

/** Where a parse problem was found: file (name as given to the parser), 1-based line, and the field. */
export interface ParseLocation {
  readonly file: string;
  readonly line: number;
  /** Field name (e.g. `rating`) or `line` when the problem is the line as a whole. */
  readonly field: string;
}

/**
 * An `E_DATASET_PARSE` error whose message names the file, line and field and shows the offending text
 * (truncated), so a person can open the file at the right place. `details` carries the same fields for programs.
 */
export function datasetParseError(location: ParseLocation, problem: string, text?: string): TrustRecError {
  const shown =
    text === undefined ? '' : ` (text: ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)})`;
  return new TrustRecError({
    code: 'E_DATASET_PARSE',
    message: `${location.file}:${location.line}: field "${location.field}": ${problem}${shown}; fix or remove the line, or check that the file is the original release`,
    details: { file: location.file, line: location.line, field: location.field },
  });
}
