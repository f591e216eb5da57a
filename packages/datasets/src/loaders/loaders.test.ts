import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TrustRecError } from '@trustrec/core-linalg';
import { describe, expect, test } from 'vitest';
import { loadBookCrossing } from './book-crossing.js';
import { loadDelimited } from './delimited.js';
import { loadFoursquare } from './foursquare.js';
import { loadLastfm1k, loadLastfmHetrec } from './lastfm.js';
import { loadMovieLens100k } from './movielens-100k.js';
import { loadMovieLens1m } from './movielens-1m.js';
import { loadMovieLensCsv } from './movielens-csv.js';
import type { ProgressEvent } from './loader-options.js';
import { loadNcfFiles } from './ncf-files.js';
import { loadYelp } from './yelp.js';

/** Writes files into a fresh temporary folder and returns it. */
function folder(files: Record<string, string | Buffer>): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'trustrec-loader-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(directory, name)), { recursive: true });
    writeFileSync(path.join(directory, name), content);
  }
  return directory;
}

async function parseError(promise: Promise<unknown>): Promise<TrustRecError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!TrustRecError.isInstance(error)) throw new Error(`expected a TrustRecError, got ${String(error)}`);
  return error;
}

describe('MovieLens loaders on small files', () => {
  test('ML-1M explicit ratings.dat with latin-1 movies.dat', async () => {
    const directory = folder({
      'ratings.dat': '1::20::5::978300760\n1::10::3::978302109\n2::10::4::978301968\n',
      'movies.dat': Buffer.from('10::Caf\xe9 (1995)::Comedy|Drama\n20::Toy Story (1995)::Animation\n', 'latin1'),
    });
    const dataset = await loadMovieLens1m(directory);
    expect(dataset.implicit).toBe(false);
    expect(dataset.itemIds).toEqual(['20', '10']);
    expect(dataset.interactions.get(0, 1)).toBe(3);
    expect(dataset.itemTitles?.[1]).toBe('Café (1995)');
    expect(Array.from(dataset.timestamps as Float64Array)).toEqual([978300760, 978302109, 978301968]);
    expect(dataset.loadReport.notes.join()).toContain('users.dat absent');
  });

  test('out-of-scale rating, truncated line, empty file: E_DATASET_PARSE naming file, line and field', async () => {
    const outOfScale = await parseError(loadMovieLens100k(folder({ 'u.data': '1\t2\t3\t4\n1\t3\t6\t5\n' })));
    expect(outOfScale.code).toBe('E_DATASET_PARSE');
    expect(outOfScale.message).toMatch(/^u\.data:2: field "rating": rating 6 is outside the declared scale 1–5/);
    const truncated = await parseError(loadMovieLens100k(folder({ 'u.data': '1\t2\t3\t4\n1\t3\t' })));
    expect(truncated.message).toMatch(/^u\.data:2: field "line": expected 4 fields/);
    const empty = await parseError(loadMovieLens100k(folder({ 'u.data': '' })));
    expect(empty.message).toMatch(/^u\.data:1: .*no data rows/);
  });

  test('invalidRows: skip drops bad rows with reasons in the report; duplicates follow the policy', async () => {
    const directory = folder({ 'u.data': '1\t2\t3\t4\n1\tx\t3\t5\n1\t2\t5\t6\n\n' });
    const dataset = await loadMovieLens100k(directory, { invalidRows: 'skip' });
    expect(dataset.loadReport.rejectedRows).toBe(1);
    expect(dataset.loadReport.rejected[0]).toMatchObject({ file: 'u.data', line: 2, field: 'item_id' });
    expect(dataset.loadReport.duplicates).toBe(1);
    expect(dataset.interactions.get(0, 0)).toBe(5);
    expect(dataset.loadReport.files[0]).toMatchObject({ lines: 4, blankLines: 1, rows: 2 });
    const strict = await parseError(loadMovieLens100k(directory, { duplicates: 'error', invalidRows: 'skip' }));
    expect(strict.message).toContain('lines 1 and 3');
  });

  test('ratings.csv (20M/25M format) with header, half stars and quoted movies.csv', async () => {
    const directory = folder({
      'ratings.csv':
        'userId,movieId,rating,timestamp\n1,296,5.0,1147880044\n1,307,3.5,1147868828\n2,296,0.5,1147868817\n',
      'movies.csv':
        'movieId,title,genres\n296,Pulp Fiction (1994),Comedy|Crime\n307,"Three Colors: Blue, The (1993)",Drama\n',
    });
    const dataset = await loadMovieLensCsv('ml-25m', directory);
    expect([dataset.numUsers, dataset.numItems, dataset.interactions.nnz]).toEqual([2, 2, 3]);
    expect(dataset.interactions.get(0, 1)).toBe(3.5);
    expect(dataset.itemCategories?.names).toEqual(['Comedy', 'Crime', 'Drama']);
    expect(dataset.itemTitles?.[1]).toBe('Three Colors: Blue, The (1993)');
    const badHalf = await parseError(
      loadMovieLensCsv('ml-25m', folder({ 'ratings.csv': 'userId,movieId,rating,timestamp\n1,2,3.25,4\n' })),
    );
    expect(badHalf.message).toMatch(/^ratings\.csv:2: field "rating"/);
    const badHeader = await parseError(
      loadMovieLensCsv('ml-25m', folder({ 'ratings.csv': 'user,movie,rating,time\n1,2,3,4\n' })),
    );
    expect(badHeader.message).toMatch(/^ratings\.csv:1: field "header"/);
  });

  test('NCF files: dense index = NCF index, published negatives as candidates', async () => {
    const directory = folder({
      'toy.train.rating': '0\t1\t1\t10\n0\t2\t1\t11\n1\t0\t1\t12\n',
      'toy.test.rating': '0\t3\t1\t20\n1\t2\t1\t21\n',
      'toy.test.negative': '(0,3)\t0\t4\n(1,2)\t3\t4\n',
    });
    const { dataset, split } = await loadNcfFiles(directory, 'toy');
    expect([dataset.numUsers, dataset.numItems]).toEqual([2, 5]);
    expect(split.train.nnz).toBe(3);
    expect(Array.from(split.candidates?.items ?? [])).toEqual([3, 0, 4, 2, 3, 4]);
    const mismatch = await parseError(
      loadNcfFiles(
        folder({
          'toy.train.rating': '0\t1\t1\t10\n',
          'toy.test.rating': '0\t3\t1\t20\n',
          'toy.test.negative': '(0,2)\t0\n',
        }),
        'toy',
      ),
    );
    expect(mismatch.message).toMatch(/^toy\.test\.negative:1: field "\(user,item\)": does not match/);
  });

  test('NCF files: onProgress gets a parse event per file; invalidRows: skip is E_CONFIG (always read strictly)', async () => {
    const directory = folder({
      'toy.train.rating': '0\t1\t1\t10\n0\t2\t1\t11\n1\t0\t1\t12\n',
      'toy.test.rating': '0\t3\t1\t20\n1\t2\t1\t21\n',
      'toy.test.negative': '(0,3)\t0\t4\n(1,2)\t3\t4\n',
    });
    const events: ProgressEvent[] = [];
    const { split } = await loadNcfFiles(directory, 'toy', { onProgress: (event) => events.push(event) });
    expect(events).toEqual([
      { phase: 'parse', file: 'toy.test.rating', done: 18, total: 18 },
      { phase: 'parse', file: 'toy.test.negative', done: 20, total: 20 },
      { phase: 'parse', file: 'toy.train.rating', done: 27, total: 27 },
    ]);
    expect(split.train.nnz).toBe(3);
    expect((await loadNcfFiles(directory, 'toy', { invalidRows: 'error' })).split.test.nnz).toBe(2);
    const skip = await parseError(loadNcfFiles(directory, 'toy', { invalidRows: 'skip' }));
    expect(skip.code).toBe('E_CONFIG');
    expect(skip.message).toMatch(
      /^loadNcfFiles: option 'invalidRows' is "skip", but the NCF files .* are always read strictly/,
    );
    expect(skip.details.option).toBe('invalidRows');
  });

  test('side files parse ids as the ratings files do: a non-canonical id is E_DATASET_PARSE with file, line, field', async () => {
    const flags = '|0'.repeat(19);
    // Thunks, so that no load starts (and rejects unobserved) before its turn.
    const cases: [() => Promise<unknown>, RegExp][] = [
      [
        () => loadMovieLens100k(folder({ 'u.data': '1\t1\t5\t10\n', 'u.user': '01|24|M|technician|85711\n' })),
        /^u\.user:1: field "user_id": integer id is not in canonical form .*\(text: "01"\)/,
      ],
      [
        () => loadMovieLens100k(folder({ 'u.data': '1\t1\t5\t10\n', 'u.item': `1|A|||${flags}\n-0|B|||${flags}\n` })),
        /^u\.item:2: field "movie_id": integer id is not in canonical form .*\(text: "-0"\)/,
      ],
      [
        () =>
          loadMovieLens1m(folder({ 'ratings.dat': '1::10::5::978300760\n', 'users.dat': '001::F::1::10::48067\n' })),
        /^users\.dat:1: field "UserID": integer id is not in canonical form .*\(text: "001"\)/,
      ],
      [
        () =>
          loadMovieLens1m(folder({ 'ratings.dat': '1::10::5::978300760\n', 'movies.dat': '010::A (1995)::Comedy\n' })),
        /^movies\.dat:1: field "MovieID": integer id is not in canonical form .*\(text: "010"\)/,
      ],
      [
        () =>
          loadMovieLensCsv(
            'ml-25m',
            folder({
              'ratings.csv': 'userId,movieId,rating,timestamp\n1,10,5.0,1\n',
              'movies.csv': 'movieId,title,genres\n10,A,Comedy\n010,B,Drama\n',
            }),
          ),
        /^movies\.csv:3: field "movieId": integer id is not in canonical form .*\(text: "010"\)/,
      ],
    ];
    for (const [load, message] of cases) {
      const error = await parseError(load());
      expect(error.code, String(message)).toBe('E_DATASET_PARSE');
      expect(error.message).toMatch(message);
      expect(Object.keys(error.details).sort()).toEqual(['field', 'file', 'line']);
    }
  });
});

describe('other loaders on small files in their original formats', () => {
  test('Last.fm HetRec: header, CRLF, implicit', async () => {
    const dataset = await loadLastfmHetrec(
      folder({ 'user_artists.dat': 'userID\tartistID\tweight\r\n2\t51\t13883\r\n2\t52\t11690\r\n3\t51\t1\r\n' }),
    );
    expect([dataset.numUsers, dataset.numItems, dataset.interactions.nnz]).toEqual([2, 2, 3]);
    expect(dataset.implicit).toBe(true);
    expect(dataset.loadReport.notes.join()).toContain('total 25574');
  });

  test('Last.fm-1K: events aggregated, profiles as attributes', async () => {
    const directory = folder({
      'userid-timestamp-artid-artname-traid-traname.tsv':
        'user_000001\t2009-05-04T23:08:57Z\tf1b1cf71\tDeep Dish\t\tTrack A\nuser_000001\t2009-05-05T23:08:57Z\tf1b1cf71\tDeep Dish\t\tTrack B\nuser_000002\t2009-05-04T13:54:10Z\t\tSome Band\t\tTrack C\n',
      'userid-profile.tsv':
        '#id\tgender\tage\tcountry\tregistered\nuser_000001\tm\t\tJapan\tAug 13, 2006\nuser_000002\tf\t22\tPeru\tFeb 24, 2006\n',
    });
    const dataset = await loadLastfm1k(directory);
    expect(dataset.interactions.nnz).toBe(2);
    expect(dataset.itemIds).toEqual(['f1b1cf71', 'name:Some Band']);
    expect(dataset.timestamps?.[0]).toBe(Date.UTC(2009, 4, 5, 23, 8, 57) / 1000);
    expect(dataset.loadReport.duplicates).toBe(1);
    const age = dataset.userAttributes?.columns.find((column) => column.name === 'age');
    expect(age?.kind === 'numeric' && Array.from(age.values)).toEqual([Number.NaN, 22]);
  });

  test('Book-Crossing: quoted, ;-separated, latin-1 ISBNs, NULL ages', async () => {
    const directory = folder({
      'BX-Book-Ratings.csv': Buffer.from(
        '"User-ID";"ISBN";"Book-Rating"\n"276725";"034545104X";"0"\n"276726";"0155061224";"5"\n"276727";"\xe9446520802";"10"\n',
        'latin1',
      ),
      'BX-Users.csv':
        '"User-ID";"Location";"Age"\n"276725";"tyler, texas, usa";NULL\n"276726";"seattle, washington, usa";"23"\n',
    });
    const dataset = await loadBookCrossing(directory);
    expect(dataset.interactions.nnz).toBe(3);
    expect(dataset.itemIds[2]).toBe('é446520802');
    expect(dataset.ratingScale).toEqual({ min: 0, max: 10 });
    const age = dataset.userAttributes?.columns[0];
    expect(age?.kind === 'numeric' && Array.from(age.values)).toEqual([Number.NaN, 23, Number.NaN]);
    const bad = await parseError(
      loadBookCrossing(folder({ 'BX-Book-Ratings.csv': '"User-ID";"ISBN";"Book-Rating"\n"1";"2";"11"\n' })),
    );
    expect(bad.message).toMatch(/^BX-Book-Ratings\.csv:2: field "Book-Rating"/);
  });

  test('Yelp JSON lines with business categories', async () => {
    const directory = folder({
      'review.json':
        '{"user_id":"u1","business_id":"b1","stars":4,"date":"2016-03-09 00:00:00"}\n{"user_id":"u2","business_id":"b1","stars":2,"date":"2017-01-01 10:00:00"}\n',
      'business.json': '{"business_id":"b1","categories":"Pizza, Restaurants"}\n',
    });
    const dataset = await loadYelp(directory);
    expect(dataset.interactions.get(1, 0)).toBe(2);
    expect(dataset.timestamps?.[0]).toBe(Date.UTC(2016, 2, 9) / 1000);
    expect(dataset.itemCategories?.names).toEqual(['Pizza', 'Restaurants']);
    const bad = await parseError(
      loadYelp(
        folder({
          'review.json':
            '{"user_id":"u1","business_id":"b1","stars":4,"date":"2016-03-09 00:00:00"}\n{"user_id":"u1","busin',
        }),
      ),
    );
    expect(bad.message).toMatch(/^review\.json:2: field "line": not valid JSON/);
  });

  test('Foursquare TSMC2014 with venue categories and UTC times', async () => {
    const line = (user: number, venue: string, category: string, time: string) =>
      `${user}\t${venue}\tcid\t${category}\t40.7\t-74.0\t-240\t${time}`;
    const directory = folder({
      'dataset_TSMC2014_NYC.txt': Buffer.from(
        [
          line(470, 'v1', 'Caf\xe9', 'Tue Apr 03 18:00:09 +0000 2012'),
          line(979, 'v2', 'Bar', 'Tue Apr 03 18:00:25 +0000 2012'),
          line(470, 'v1', 'Caf\xe9', 'Wed Apr 04 18:00:09 +0000 2012'),
        ].join('\n'),
        'latin1',
      ),
    });
    const dataset = await loadFoursquare('nyc', directory);
    expect(dataset.interactions.nnz).toBe(2);
    expect(dataset.timestamps?.[0]).toBe(Date.UTC(2012, 3, 4, 18, 0, 9) / 1000);
    expect(dataset.itemCategories?.names).toEqual(['Bar', 'Café']);
  });

  test('Book-Crossing and Foursquare integer user ids must be canonical: E_DATASET_PARSE with file, line, field', async () => {
    const checkin = (user: string, venue: string) =>
      `${user}\t${venue}\tcid\tBar\t40.7\t-74.0\t-240\tTue Apr 03 18:00:09 +0000 2012`;
    const ratingsHeader = '"User-ID";"ISBN";"Book-Rating"\n';
    // Thunks, so that no load starts (and rejects unobserved) before its turn.
    const cases: [() => Promise<unknown>, RegExp][] = [
      [
        () =>
          loadBookCrossing(
            folder({ 'BX-Book-Ratings.csv': `${ratingsHeader}"1";"034545104X";"5"\n"01";"0155061224";"3"\n` }),
          ),
        /^BX-Book-Ratings\.csv:3: field "User-ID": integer id is not in canonical form .*\(text: "01"\)/,
      ],
      [
        () =>
          loadBookCrossing(
            folder({
              'BX-Book-Ratings.csv': `${ratingsHeader}"7";"034545104X";"5"\n`,
              'BX-Users.csv':
                '"User-ID";"Location";"Age"\n"1";"nyc, new york, usa";NULL\n"007";"tyler, texas, usa";"23"\n',
            }),
          ),
        /^BX-Users\.csv:3: field "User-ID": integer id is not in canonical form .*\(text: "007"\)/,
      ],
      [
        () =>
          loadFoursquare(
            'nyc',
            folder({
              'dataset_TSMC2014_NYC.txt': `${checkin('470', '49bbd6c0f964a520f4531fe3')}\n${checkin('-0', '4a43c0aef964a520c6a61fe3')}\n`,
            }),
          ),
        /^dataset_TSMC2014_NYC\.txt:2: field "userId": integer id is not in canonical form .*\(text: "-0"\)/,
      ],
    ];
    for (const [load, message] of cases) {
      const error = await parseError(load());
      expect(error.code, String(message)).toBe('E_DATASET_PARSE');
      expect(error.message).toMatch(message);
      expect(Object.keys(error.details).sort()).toEqual(['field', 'file', 'line']);
    }
    // String ids stay strings: ISBNs with leading zeros, hex venue ids, Last.fm-1K "user_000001" in both files.
    const books = await loadBookCrossing(
      folder({ 'BX-Book-Ratings.csv': `${ratingsHeader}"10";"0155061224";"5"\n"9";"034545104X";"0"\n` }),
    );
    expect([books.userIds, books.itemIds]).toEqual([
      ['10', '9'],
      ['0155061224', '034545104X'],
    ]);
    const venues = await loadFoursquare(
      'nyc',
      folder({ 'dataset_TSMC2014_NYC.txt': `${checkin('1083', '49bbd6c0f964a520f4531fe3')}\n` }),
    );
    expect([venues.userIds, venues.itemIds]).toEqual([['1083'], ['49bbd6c0f964a520f4531fe3']]);
    const listeners = await loadLastfm1k(
      folder({
        'userid-timestamp-artid-artname-traid-traname.tsv': 'user_000010\t2009-05-04T23:08:57Z\tf1b1cf71\tA\t\tT\n',
        'userid-profile.tsv': '#id\tgender\tage\tcountry\tregistered\nuser_000010\tf\t22\tPeru\tFeb 24, 2006\n',
      }),
    );
    expect(listeners.userIds).toEqual(['user_000010']);
  });

  test('generic delimited loader with a column mapping by header name', async () => {
    const directory = folder({
      'events.csv': 'when,item,who,score\n2020-01-01T00:00:00Z,"a,1",u1,4\n2020-01-02T00:00:00Z,b,u2,2\n',
    });
    const dataset = await loadDelimited(path.join(directory, 'events.csv'), {
      header: true,
      quoted: true,
      columns: { user: 'who', item: 'item', rating: 'score', timestamp: 'when' },
      ratingScale: { min: 1, max: 5, step: 1 },
      timestampFormat: 'iso-8601',
    });
    expect(dataset.itemIds).toEqual(['a,1', 'b']);
    expect(dataset.interactions.get(1, 1)).toBe(2);
    expect(dataset.timestamps?.[1]).toBe(Date.UTC(2020, 0, 2) / 1000);
    const missing = await parseError(
      loadDelimited(path.join(directory, 'events.csv'), { header: true, columns: { user: 'nobody', item: 'item' } }),
    );
    expect(missing.message).toContain('no column named "nobody"');
  });
});

test('integer ids must be canonical: "007" is not silently stored as "7"', async () => {
  const error = await parseError(loadMovieLens1m(folder({ 'ratings_implicit.dat': '1::10\n1::007\n' })));
  expect(error.message).toMatch(/^ratings_implicit\.dat:2: field "MovieID": integer id is not in canonical form/);
});

describe('loader options are checked, never ignored', () => {
  const loose = <T>(options: Record<string, unknown>) => options as unknown as T;
  const events = () => path.join(folder({ 'events.csv': 'u1,a,4,1600000000\nu2,b,2,1600000100\n' }), 'events.csv');
  const columns = { user: 0, item: 1, rating: 2, timestamp: 3 };
  const scale = { min: 1, max: 5, step: 1 };

  test('a misspelt option name is E_CONFIG naming the loader and the option', async () => {
    const directory = folder({ 'u.data': '1\t2\t3\t4\n1\t2\t5\t6\n' });
    const named = await parseError(loadMovieLens100k(directory, loose({ duplicate: 'sum' })));
    expect(named.code).toBe('E_CONFIG');
    expect(named.message).toContain("loadMovieLens100k: option 'duplicate' must be one of the known options");
    const top = await parseError(
      loadDelimited(events(), loose({ columns, ratingScale: scale, timestampformat: 'unix-milliseconds' })),
    );
    expect(top.code).toBe('E_CONFIG');
    expect(top.message).toContain("loadDelimited: option 'timestampformat' must be one of the known options");
    const column = await parseError(loadDelimited(events(), loose({ columns: { user: 0, item: 1, rtaing: 2 } })));
    expect(column.code).toBe('E_CONFIG');
    expect(column.message).toContain("loadDelimited: option 'columns.rtaing' must be one of the known options");
  });

  test('loadDelimited: misspelt enumerated values and impossible numbers are E_ARGUMENT', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { timestampFormat: 'unix-ms' },
        /timestampFormat must be one of "unix-seconds", "unix-milliseconds", "iso-8601"/,
      ],
      [{ idOrder: 'sort' }, /idOrder must be one of "first-appearance", "sorted", got "sort"/],
      [{ encoding: 'latin-1' }, /encoding must be one of "utf-8", "latin1"/],
      [{ fieldCount: 0 }, /fieldCount must be an integer in \[1, /],
      // A zero or missing step made every value inside [min, max] pass the scale check.
      [{ ratingScale: { min: 1, max: 5, step: 0 } }, /ratingScale\.step must be a finite positive number, got 0/],
      [{ ratingScale: { min: 1, max: 5 } }, /ratingScale\.step must be a finite positive number, got undefined/],
      [{ ratingScale: { min: 5, max: 1, step: 1 } }, /ratingScale\.min \(5\) must not exceed ratingScale\.max \(1\)/],
    ];
    for (const [options, message] of cases) {
      const error = await parseError(loadDelimited(events(), loose({ columns, ratingScale: scale, ...options })));
      expect(error.code, JSON.stringify(options)).toBe('E_ARGUMENT');
      expect(error.message).toMatch(/^loadDelimited: /);
      expect(error.message).toMatch(message);
    }
  });
});
