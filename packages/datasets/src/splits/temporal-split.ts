import { argumentError, requireFinite, shapeError, rejectUnknownOptions } from '@trustrec/core-linalg';
import { type Split, type SplitSource, describeSplit, partitionEntries } from './split.js';
import { requireRatio } from './split-options.js';

const OPTION_NAMES = ['cutoff', 'testRatio', 'validationCutoff'];

export interface TemporalSplitOptions {
  /** Interactions at or after this Unix time go to test. Give either `cutoff` or `testRatio`. */
  readonly cutoff?: number;
  /** The latest share of all interactions (by time, globally) goes to test; the cutoff is that quantile. */
  readonly testRatio?: number;
  /** Interactions at or after this time but before `cutoff` go to validation. */
  readonly validationCutoff?: number;
}

/**
 * Global temporal cut: everything before the cutoff trains, everything from it on tests (no look-ahead). Needs
 * timestamps. Deterministic, so it takes no seed.
 */
export function temporalSplit(source: SplitSource, options: TemporalSplitOptions): Split {
  const where = 'temporalSplit';
  rejectUnknownOptions(where, options, OPTION_NAMES);
  const { timestamps } = source;
  if (!timestamps)
    throw argumentError(
      where,
      `the source (${source.name ?? 'interactions'}) has no timestamps; use ratioSplit or randomSplit`,
      { option: 'timestamps' },
    );
  if (timestamps.length !== source.interactions.nnz)
    throw shapeError(
      where,
      `timestamps has length ${timestamps.length}, interactions has ${source.interactions.nnz} entries; timestamps must be aligned with interactions.indices`,
      { option: 'timestamps' },
    );
  if ((options.cutoff === undefined) === (options.testRatio === undefined)) {
    throw argumentError(where, 'give exactly one of cutoff or testRatio', { option: 'cutoff' });
  }
  let cutoff: number;
  if (options.cutoff !== undefined) {
    requireFinite(where, 'cutoff', options.cutoff);
    cutoff = options.cutoff;
  } else {
    const ratio = options.testRatio as number;
    requireRatio(where, 'testRatio', ratio);
    const sorted = Float64Array.from(timestamps).sort();
    cutoff = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * (1 - ratio)))];
  }
  const validationCutoff = options.validationCutoff;
  if (validationCutoff !== undefined) {
    requireFinite(where, 'validationCutoff', validationCutoff);
    if (validationCutoff > cutoff)
      throw argumentError(where, `validationCutoff (${validationCutoff}) must not exceed the cutoff (${cutoff})`, {
        option: 'validationCutoff',
      });
  }
  const parts = new Uint8Array(timestamps.length);
  for (let p = 0; p < timestamps.length; p++) {
    if (timestamps[p] >= cutoff) parts[p] = 1;
    else if (validationCutoff !== undefined && timestamps[p] >= validationCutoff) parts[p] = 2;
  }
  const [train, test, validation] = partitionEntries(source.interactions, parts, 3);
  const matrices = { train, test, validation: validationCutoff !== undefined ? validation : undefined };
  return {
    ...matrices,
    description: describeSplit('temporal', source, matrices, { cutoff, validationCutoff }, [], undefined),
  };
}
