import { TrustRecError } from '@trustrec/core-linalg';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { InteractionCollector } from '../core/interaction-collector.js';
import { decodeBytes, forEachLineOfText, type LineHandler } from '../io/line-reader.js';
import { bookCrossingRatingRow, bookCrossingUserRow } from './book-crossing.js';
import { foursquareCheckinRow } from './foursquare.js';
import { lastfm1kEventRow, lastfm1kProfileRow, lastfmUserArtistRow } from './lastfm.js';
import { movieLens100kItemRow, movieLens100kRatingRow, movieLens100kUserRow } from './movielens-100k.js';
import {
  movieLens1mImplicitRow,
  movieLens1mMovieRow,
  movieLens1mRatingRow,
  movieLens1mUserRow,
} from './movielens-1m.js';
import { movieLensCsvMovieRow, movieLensCsvRatingRow } from './movielens-csv.js';
import { ncfNegativeRow, ncfRatingRow } from './ncf-files.js';
import { yelpReviewRow } from './yelp.js';

/** A parser under test: a fresh handler and a function counting the rows it has accepted. */
interface ParserCase {
  readonly file: string;
  readonly valid: readonly string[];
  readonly make: () => { handler: LineHandler; rows: () => number };
}

const collectorCase = (
  file: string,
  valid: string[],
  rowParser: (collector: InteractionCollector, file: string) => LineHandler,
): ParserCase => ({
  file,
  valid,
  make: () => {
    const collector = new InteractionCollector({ duplicates: 'keep-last', timestamps: true });
    return { handler: rowParser(collector, file), rows: () => collector.buffer.count };
  },
});

const mapCase = (
  file: string,
  valid: string[],
  rowParser: (map: Map<string, never>, file: string) => LineHandler,
): ParserCase => ({
  file,
  valid,
  make: () => {
    const map = new Map<string, never>();
    return { handler: rowParser(map, file), rows: () => map.size };
  },
});

const listCase = (
  file: string,
  valid: string[],
  rowParser: (rows: never[], file: string) => LineHandler,
): ParserCase => ({
  file,
  valid,
  make: () => {
    const rows: never[] = [];
    return { handler: rowParser(rows, file), rows: () => rows.length };
  },
});

const genreFlags = '0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0';
const CASES: ParserCase[] = [
  collectorCase('u.data', ['196\t242\t3\t881250949', '22\t377\t1\t878887116'], movieLens100kRatingRow),
  mapCase('u.user', ['1|24|M|technician|85711', '2|53|F|other|94043'], (map, file) => movieLens100kUserRow(map, file)),
  mapCase(
    'u.item',
    [`1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)|${genreFlags}`],
    movieLens100kItemRow,
  ),
  collectorCase('ratings.dat', ['1::1193::5::978300760', '6040::1097::4::956715569'], movieLens1mRatingRow),
  collectorCase('ratings_implicit.dat', ['1::1193', '6040::1097'], movieLens1mImplicitRow),
  mapCase('users.dat', ['1::F::1::10::48067', '2::M::56::16::70072'], movieLens1mUserRow),
  mapCase(
    'movies.dat',
    ["1::Toy Story (1995)::Animation|Children's|Comedy", "2::Jumanji (1995)::Adventure|Children's|Fantasy"],
    (map, file) => movieLens1mMovieRow(map, file),
  ),
  collectorCase('ratings.csv', ['1,296,5.0,1147880044', '1,307,3.5,1147868828'], movieLensCsvRatingRow),
  mapCase(
    'movies.csv',
    [
      '1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy',
      '11,"American President, The (1995)",Comedy|Drama|Romance',
    ],
    movieLensCsvMovieRow,
  ),
  listCase('ml-1m.test.rating', ['0\t25\t5\t978824351'], ncfRatingRow),
  listCase('ml-1m.test.negative', ['(0,25)\t1064\t174\t2791'], ncfNegativeRow),
  collectorCase('user_artists.dat', ['2\t51\t13883', '2\t52\t11690'], lastfmUserArtistRow),
  collectorCase(
    'userid-timestamp-artid-artname-traid-traname.tsv',
    [
      'user_000001\t2009-05-04T23:08:57Z\tf1b1cf71-bd35-4e99-8624-24a6e15f133a\tDeep Dish\t\tFuck Me Im Famous (Pacha Ibiza)-09-28-2007',
    ],
    lastfm1kEventRow,
  ),
  mapCase('userid-profile.tsv', ['user_000001\tm\t\tJapan\tAug 13, 2006'], lastfm1kProfileRow),
  collectorCase(
    'BX-Book-Ratings.csv',
    ['"276725";"034545104X";"0"', '"276726";"0155061224";"5"'],
    bookCrossingRatingRow,
  ),
  mapCase(
    'BX-Users.csv',
    ['"1";"nyc, new york, usa";NULL', '"2";"stockton, california, usa";"18"'],
    bookCrossingUserRow,
  ),
  collectorCase(
    'review.json',
    ['{"review_id":"x","user_id":"u1","business_id":"b1","stars":4,"date":"2016-03-09 00:00:00","text":"ok"}'],
    yelpReviewRow,
  ),
  collectorCase(
    'dataset_TSMC2014_NYC.txt',
    [
      '470\t49bbd6c0f964a520f4531fe3\t4bf58dd8d48988d127951735\tArts & Crafts Store\t40.719810375488535\t-74.00258103213994\t-240\tTue Apr 03 18:00:09 +0000 2012',
    ],
    (collector, file) => foursquareCheckinRow(collector, new Map(), file),
  ),
];

const INTERESTING = [
  '\t',
  ':',
  '::',
  '|',
  ',',
  ';',
  '"',
  '(',
  ')',
  'x',
  '-',
  '.',
  ' ',
  '0',
  '9',
  'é',
  '\u0000',
  '\r',
  '{',
  '}',
  'NaN',
  '1e5',
  '99999999999999999',
];

type Mutation = (line: string) => string;
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .nat()
    .map((at) => (line: string) => line.slice(0, at % (line.length + 1)) + line.slice((at % (line.length + 1)) + 1)),
  fc.tuple(fc.nat(), fc.constantFrom(...INTERESTING)).map(([at, text]) => (line: string) => {
    const position = at % (line.length + 1);
    return line.slice(0, position) + text + line.slice(position);
  }),
  fc.nat().map((at) => (line: string) => line.slice(0, at % (line.length + 1))),
  fc.tuple(fc.nat(), fc.string({ maxLength: 6 })).map(([at, text]) => (line: string) => {
    const position = at % (line.length + 1);
    return line.slice(0, position) + text + line.slice(Math.min(line.length, position + text.length));
  }),
  fc.tuple(fc.nat(), fc.nat()).map(([from, to]) => (line: string) => {
    const start = Math.min(from, to) % (line.length + 1);
    return line.slice(0, start) + line.slice(Math.max(from, to) % (line.length + 1));
  }),
);

/** Feeds one line: it must either add exactly one row or throw E_DATASET_PARSE naming file, line and field. */
function checkOutcome(parser: ParserCase, line: string): 'accepted' | 'rejected' {
  const { handler, rows } = parser.make();
  try {
    handler(line, 7);
  } catch (error) {
    if (!TrustRecError.isInstance(error, 'E_DATASET_PARSE'))
      throw new Error(`${parser.file}: ${JSON.stringify(line)} threw a non-parse error: ${String(error)}`);
    expect(error.message).toContain(`${parser.file}:7:`);
    expect(error.details.file).toBe(parser.file);
    expect(error.details.line).toBe(7);
    expect(typeof error.details.field === 'string' && (error.details.field as string).length > 0).toBe(true);
    expect(error.message).toContain(`field "${error.details.field}"`);
    expect(rows()).toBe(0);
    return 'rejected';
  }
  if (rows() !== 1)
    throw new Error(`${parser.file}: ${JSON.stringify(line)} was accepted but added ${rows()} rows (silent drop)`);
  return 'accepted';
}

describe('row parsers under mangled input (fast-check)', () => {
  for (const parser of CASES) {
    test(`${parser.file}: valid lines add one row each`, () => {
      for (const line of parser.valid) expect(checkOutcome(parser, line)).toBe('accepted');
    });
    test(`${parser.file}: mangled lines give one row or E_DATASET_PARSE naming file/line/field, never a crash or a silent drop`, () => {
      let rejected = 0;
      fc.assert(
        fc.property(
          fc.constantFrom(...parser.valid),
          fc.array(mutation, { minLength: 1, maxLength: 3 }),
          (line, mutations) => {
            const mangled = mutations.reduce((text, mutate) => mutate(text), line);
            if (checkOutcome(parser, mangled) === 'rejected') rejected++;
          },
        ),
        { seed: 20261124, numRuns: 150 },
      );
      // The mutations must actually exercise the error paths.
      expect(rejected).toBeGreaterThan(30);
    });
  }
});

describe('whole files of random bytes', () => {
  test('u.data decoded as strict UTF-8 then parsed: only E_DATASET_PARSE', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), (bytes) => {
        const collector = new InteractionCollector({ duplicates: 'keep-last', timestamps: true });
        const handler = movieLens100kRatingRow(collector, 'u.data');
        let lines = 0;
        try {
          const stats = forEachLineOfText(decodeBytes(bytes, 'u.data', 'utf-8'), handler);
          lines = stats.lines - stats.blankLines;
        } catch (error) {
          if (!TrustRecError.isInstance(error, 'E_DATASET_PARSE')) throw error;
          expect(error.message).toMatch(/^u\.data(:\d+)?/);
          return;
        }
        expect(collector.buffer.count).toBe(lines);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  test('invalid UTF-8 names the line', () => {
    const bytes = new Uint8Array([
      ...new TextEncoder().encode('1\t2\t3\t4\n5\t6\t'),
      0xc3,
      0x28,
      ...new TextEncoder().encode('\t7\n'),
    ]);
    expect(() => decodeBytes(bytes, 'u.data', 'utf-8')).toThrowError(
      /u\.data:2: field "line": the line is not valid UTF-8/,
    );
  });
});

describe('whole loaders with invalidRows: skip account for every line', () => {
  test('u.data with mangled lines: rows + rejected rows = non-blank lines, rejects name their line', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { loadMovieLens100k } = await import('./movielens-100k.js');
    const valid = [
      '196\t242\t3\t881250949',
      '186\t302\t3\t891717742',
      '22\t377\t1\t878887116',
      '244\t51\t2\t880606923',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(3), fc.array(mutation, { maxLength: 2 })), { minLength: 1, maxLength: 12 }),
        async (rows) => {
          const lines = rows.map(([pick, mutations]) =>
            mutations.reduce((text, mutate) => mutate(text), valid[pick]).replace(/[\n\r]/g, ''),
          );
          const directory = mkdtempSync(path.join(tmpdir(), 'trustrec-mangled-'));
          writeFileSync(path.join(directory, 'u.data'), `${lines.join('\n')}\n`);
          const nonBlank = lines.filter((line) => line.trim() !== '').length;
          try {
            const dataset = await loadMovieLens100k(directory, { invalidRows: 'skip', duplicates: 'sum' });
            expect(dataset.loadReport.rowsRead).toBe(nonBlank);
            expect(dataset.loadReport.rejectedRows + dataset.loadReport.files[0].rows).toBe(nonBlank);
            for (const rejected of dataset.loadReport.rejected) expect(lines[rejected.line - 1].trim()).not.toBe('');
          } catch (error) {
            // Only a file without any data row may fail, and only with a parse error.
            if (!TrustRecError.isInstance(error, 'E_DATASET_PARSE')) throw error;
            expect(nonBlank === 0 || (error as TrustRecError).message.includes('no data rows')).toBe(true);
          }
        },
      ),
      { seed: 99, numRuns: 40 },
    );
  });
});
