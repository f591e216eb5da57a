import type { Dataset, SourceFile } from '../core/dataset.js';
import type { InteractionCollector } from '../core/interaction-collector.js';
import { datasetParseError } from '../errors/dataset-parse-error.js';
import { parseIdField, parseIntegerField, requireIdField, splitFields } from '../io/fields.js';
import type { LineHandler } from '../io/line-reader.js';
import { assembleDataset } from './assemble-dataset.js';
import { categoricalColumn, numericColumn } from './attribute-builder.js';
import { type LoaderOptions, createCollector, hasFile } from './loader-options.js';
import { readInteractionFile, readSideFile } from './read-file.js';

/** Header check of HetRec `user_artists.dat`. */
export function checkUserArtistsHeader(file: string): LineHandler {
  return (line, lineNumber) => {
    if (line !== 'userID\tartistID\tweight')
      throw datasetParseError(
        { file, line: lineNumber, field: 'header' },
        'expected the header "userID<TAB>artistID<TAB>weight"',
        line,
      );
  };
}

/** Row parser of HetRec 2011 `user_artists.dat`: `userID \t artistID \t weight` (weight = play count ≥ 1). */
export function lastfmUserArtistRow(collector: InteractionCollector, file: string): LineHandler {
  return (line, lineNumber) => {
    const fields = splitFields(line, '\t', 3, file, lineNumber);
    const user = parseIdField(fields[0], file, lineNumber, 'userID');
    const artist = parseIdField(fields[1], file, lineNumber, 'artistID');
    const weight = parseIntegerField(fields[2], file, lineNumber, 'weight');
    if (weight < 1)
      throw datasetParseError({ file, line: lineNumber, field: 'weight' }, 'play count must be ≥ 1', fields[2]);
    collector.addIntegerIds(user, artist, weight, 0, lineNumber);
  };
}

/**
 * Loads Last.fm HetRec 2011 (`user_artists.dat`, tab-separated with a header and CRLF line ends). Implicit: the
 * matrix holds 1 per listened artist; the play counts are summarised in the load report only.
 * Cantador, Brusilovsky & Kuflik, HetRec 2011.
 */
export async function loadLastfmHetrec(directory: string, options: LoaderOptions = {}): Promise<Dataset> {
  const started = performance.now();
  const collector = createCollector(options, false, 'error', 'loadLastfmHetrec');
  const file = 'user_artists.dat';
  const files = [
    await readInteractionFile(
      collector,
      directory,
      file,
      'lastfm-hetrec',
      'utf-8',
      lastfmUserArtistRow(collector, file),
      {
        ...options,
        headerLines: 1,
        checkHeader: checkUserArtistsHeader(file),
      },
    ),
  ];
  let plays = 0;
  for (let p = 0; p < collector.buffer.count; p++) plays += collector.buffer.values[p];
  return assembleDataset(collector, {
    name: 'lastfm-hetrec',
    implicit: true,
    files,
    url: 'https://files.grouplens.org/datasets/hetrec2011/hetrec2011-lastfm-2k.zip',
    license: 'HetRec 2011 / Last.fm: research use',
    started,
    binarize: true,
    notes: [`implicit: play counts (total ${plays}) replaced by 1 in the matrix`],
  });
}

/** Row parser of Last.fm-1K listening events: `user \t ISO time \t artist mbid \t artist name \t track mbid \t track name`. */
export function lastfm1kEventRow(collector: InteractionCollector, file: string): LineHandler {
  return (line, lineNumber) => {
    const fields = splitFields(line, '\t', 6, file, lineNumber);
    requireIdField(fields[0], file, lineNumber, 'userid');
    const time = Date.parse(fields[1]);
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(fields[1]) || Number.isNaN(time)) {
      throw datasetParseError(
        { file, line: lineNumber, field: 'timestamp' },
        'expected an ISO-8601 UTC time like 2009-05-04T23:08:57Z',
        fields[1],
      );
    }
    const artist = fields[2] !== '' ? fields[2] : fields[3] !== '' ? `name:${fields[3]}` : '';
    if (artist === '')
      throw datasetParseError(
        { file, line: lineNumber, field: 'artid' },
        'both the artist id and the artist name are empty',
        line,
      );
    collector.add(fields[0], artist, 1, time / 1000, lineNumber);
  };
}

/** Line parser of `userid-profile.tsv`: `#id \t gender \t age \t country \t registered` (blanks = missing). */
export function lastfm1kProfileRow(
  profiles: Map<string, { gender?: string; age?: number; country?: string }>,
  file: string,
): LineHandler {
  return (line, lineNumber) => {
    if (line.startsWith('#id')) return;
    const fields = splitFields(line, '\t', 5, file, lineNumber);
    requireIdField(fields[0], file, lineNumber, 'id');
    if (fields[1] !== '' && fields[1] !== 'm' && fields[1] !== 'f')
      throw datasetParseError({ file, line: lineNumber, field: 'gender' }, 'expected m, f or empty', fields[1]);
    const age = fields[2] === '' ? undefined : parseIntegerField(fields[2], file, lineNumber, 'age');
    profiles.set(fields[0], { gender: fields[1] || undefined, age, country: fields[3] || undefined });
  };
}

/**
 * Loads Last.fm-1K (Celma 2010): listening events aggregated to implicit user–artist pairs (repeated listens
 * merged, the latest time kept), artists by MusicBrainz id or, when missing, by name; user gender/age/country.
 */
export async function loadLastfm1k(directory: string, options: LoaderOptions = {}): Promise<Dataset> {
  const started = performance.now();
  const collector = createCollector(options, true, 'keep-last', 'loadLastfm1k');
  const file = 'userid-timestamp-artid-artname-traid-traname.tsv';
  const files: SourceFile[] = [
    await readInteractionFile(
      collector,
      directory,
      file,
      'lastfm-1k',
      'utf-8',
      lastfm1kEventRow(collector, file),
      options,
    ),
  ];
  const profiles = new Map<string, { gender?: string; age?: number; country?: string }>();
  if (hasFile(directory, 'userid-profile.tsv')) {
    files.push(
      (
        await readSideFile(
          directory,
          'userid-profile.tsv',
          'lastfm-1k',
          'utf-8',
          lastfm1kProfileRow(profiles, 'userid-profile.tsv'),
        )
      ).source,
    );
  }
  return assembleDataset(collector, {
    name: 'lastfm-1k',
    implicit: true,
    files,
    license: 'Last.fm terms of use; cite Celma (2010)',
    started,
    binarize: true,
    notes: [
      'listening events aggregated to user–artist pairs (duplicates = repeated listens, merged with the latest time)',
    ],
    userAttributes:
      profiles.size === 0
        ? undefined
        : (userIds) => ({
            columns: [
              categoricalColumn('gender', userIds, (id) => profiles.get(id)?.gender, { levels: ['f', 'm'] }),
              numericColumn('age', userIds, (id) => profiles.get(id)?.age),
              categoricalColumn('country', userIds, (id) => profiles.get(id)?.country),
            ],
          }),
  });
}
