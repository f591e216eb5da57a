import { datasetParseError } from '../errors/dataset-parse-error.js';
import { parseNumberField } from '../io/fields.js';

/** A declared rating scale: values in [min, max] on a grid of `step` from `min` (e.g. 0.5 for half stars). */
export interface DeclaredScale {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

/** Parses a rating and checks it against the declared scale, or throws `E_DATASET_PARSE` naming the field. */
export function parseRating(text: string, scale: DeclaredScale, file: string, line: number, field = 'rating'): number {
  const value = parseNumberField(text, file, line, field);
  const steps = (value - scale.min) / scale.step;
  if (value < scale.min || value > scale.max || Math.abs(steps - Math.round(steps)) > 1e-9) {
    throw datasetParseError(
      { file, line, field },
      `rating ${value} is outside the declared scale ${scale.min}–${scale.max} (step ${scale.step})`,
      text,
    );
  }
  return value;
}
