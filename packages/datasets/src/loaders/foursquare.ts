import type { Dataset } from '../core/dataset.js';
import type { InteractionCollector } from '../core/interaction-collector.js';
import { datasetParseError } from '../errors/dataset-parse-error.js';
import { parseIdField, parseIntegerField, parseNumberField, requireIdField, splitFields } from '../io/fields.js';
import type { LineHandler } from '../io/line-reader.js';
import { assembleDataset } from './assemble-dataset.js';
import { buildItemCategories } from './attribute-builder.js';
import { type LoaderOptions, createCollector } from './loader-options.js';
import { readInteractionFile } from './read-file.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const UTC_TIME =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d\d) (\d\d):(\d\d):(\d\d) \+0000 (\d{4})$/;

/** Parses TSMC2014's `utcTimestamp` ("Tue Apr 03 18:00:09 +0000 2012") to Unix seconds, or NaN. */
export function parseTsmcTime(text: string): number {
  const match = UTC_TIME.exec(text);
  if (!match) return Number.NaN;
  return (
    Date.UTC(
      Number(match[7]),
      MONTHS.indexOf(match[2]),
      Number(match[3]),
      Number(match[4]),
      Number(match[5]),
      Number(match[6]),
    ) / 1000
  );
}

/**
 * Row parser of `dataset_TSMC2014_{NYC,TKY}.txt`: `userId \t venueId \t venueCategoryId \t venueCategory \t
 * latitude \t longitude \t timezoneOffset \t utcTimestamp`. Records each venue's category in `venueCategory`.
 */
export function foursquareCheckinRow(
  collector: InteractionCollector,
  venueCategory: Map<string, string>,
  file: string,
): LineHandler {
  return (line, lineNumber) => {
    const fields = splitFields(line, '\t', 8, file, lineNumber);
    // userIds are integers kept as their decimal text ("01" must not pass as a different user than "1");
    // venueIds are hex strings (Foursquare ids), so they are only checked as raw ids.
    parseIdField(fields[0], file, lineNumber, 'userId');
    requireIdField(fields[1], file, lineNumber, 'venueId');
    requireIdField(fields[3], file, lineNumber, 'venueCategory');
    const latitude = parseNumberField(fields[4], file, lineNumber, 'latitude');
    const longitude = parseNumberField(fields[5], file, lineNumber, 'longitude');
    if (Math.abs(latitude) > 90)
      throw datasetParseError({ file, line: lineNumber, field: 'latitude' }, 'outside −90…90', fields[4]);
    if (Math.abs(longitude) > 180)
      throw datasetParseError({ file, line: lineNumber, field: 'longitude' }, 'outside −180…180', fields[5]);
    parseIntegerField(fields[6], file, lineNumber, 'timezoneOffset');
    const time = parseTsmcTime(fields[7]);
    if (Number.isNaN(time))
      throw datasetParseError(
        { file, line: lineNumber, field: 'utcTimestamp' },
        'expected a time like "Tue Apr 03 18:00:09 +0000 2012"',
        fields[7],
      );
    const known = venueCategory.get(fields[1]);
    if (known === undefined) venueCategory.set(fields[1], fields[3]);
    collector.add(fields[0], fields[1], 1, time, lineNumber);
  };
}

/**
 * Loads Foursquare check-ins TSMC2014 (Yang, Zhang, Zheng & Yu, IEEE TSMC 2015) for NYC or TKY: implicit
 * user–venue pairs (repeated check-ins merged, the latest time kept), venue categories as item categories. Read as
 * latin-1 (the release is not valid UTF-8 throughout).
 */
export async function loadFoursquare(
  city: 'nyc' | 'tky',
  directory: string,
  options: LoaderOptions = {},
): Promise<Dataset> {
  const started = performance.now();
  const name = `foursquare-${city}`;
  const file = `dataset_TSMC2014_${city.toUpperCase()}.txt`;
  const collector = createCollector(options, true, 'keep-last', 'loadFoursquare');
  const venueCategory = new Map<string, string>();
  const files = [
    await readInteractionFile(
      collector,
      directory,
      file,
      name,
      'latin1',
      foursquareCheckinRow(collector, venueCategory, file),
      options,
    ),
  ];
  return assembleDataset(collector, {
    name,
    implicit: true,
    files,
    url: 'http://www-public.imtbs-tsp.eu/~zhang_da/pub/dataset_tsmc2014.zip',
    license: 'research use; cite Yang et al. (2015)',
    started,
    notes: ['repeated check-ins at the same venue merged (latest time kept); see duplicates'],
    itemCategories: (itemIds) => {
      const names = [...new Set(venueCategory.values())].sort();
      const index = new Map(names.map((category, position) => [category, position]));
      return buildItemCategories(itemIds, names, (id) => {
        const category = venueCategory.get(id);
        return category === undefined ? [] : [index.get(category) as number];
      });
    },
  });
}
