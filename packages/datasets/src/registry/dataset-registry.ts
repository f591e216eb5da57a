import { loadMovieLens100k } from '../loaders/movielens-100k.js';
import { loadMovieLens1m } from '../loaders/movielens-1m.js';
import { loadMovieLensCsv } from '../loaders/movielens-csv.js';
import { loadLastfmHetrec, loadLastfm1k } from '../loaders/lastfm.js';
import { loadBookCrossing } from '../loaders/book-crossing.js';
import { loadYelp } from '../loaders/yelp.js';
import { loadFoursquare } from '../loaders/foursquare.js';
import { toImplicit } from '../transforms/to-implicit.js';
import type { DatasetDescriptor } from './dataset-descriptor.js';

const GROUPLENS =
  'GroupLens research-use terms: cite Harper & Konstan (ACM TiiS 2015); no redistribution without permission; no commercial use';

/** Every dataset `loadDataset` knows by name. */
export const DATASETS: readonly DatasetDescriptor[] = [
  {
    name: 'ml-100k',
    description:
      'MovieLens 100K: 100,000 ratings (1–5) with timestamps from 943 users on 1,682 movies; user gender/age/occupation; 19 genres',
    folder: 'ml-100k',
    url: 'https://files.grouplens.org/datasets/movielens/ml-100k.zip',
    archiveRoot: 'ml-100k/',
    requiredFiles: [['u.data']],
    optionalFiles: ['u.user', 'u.item', 'u.occupation', 'u.genre'],
    license: GROUPLENS,
    load: loadMovieLens100k,
  },
  {
    name: 'ml-1m',
    description:
      'MovieLens 1M: 1,000,209 ratings from 6,040 users on 3,706 movies (ratings.dat; or implicit pairs from ratings_implicit.dat); gender/age bucket/occupation; 18 genres',
    folder: 'ml-1m',
    url: 'https://files.grouplens.org/datasets/movielens/ml-1m.zip',
    archiveRoot: 'ml-1m/',
    requiredFiles: [['ratings.dat', 'ratings_implicit.dat']],
    optionalFiles: ['users.dat', 'movies.dat'],
    license: GROUPLENS,
    load: loadMovieLens1m,
  },
  {
    name: 'ml-1m-ncf',
    description:
      'MovieLens 1M as in the NCF/APR papers: implicit, with the published leave-latest-out test pairs and 99 negatives (loadNcfSplit)',
    folder: 'ml-1m',
    requiredFiles: [['ratings.dat', 'ratings_implicit.dat'], ['ncf/ml-1m.test.rating'], ['ncf/ml-1m.test.negative']],
    optionalFiles: ['users.dat', 'movies.dat'],
    license: `${GROUPLENS}; test files from hexiangnan/neural_collaborative_filtering`,
    manual:
      'put ml-1m.test.rating and ml-1m.test.negative from github.com/hexiangnan/neural_collaborative_filtering (Data/) into <dataDir>/ml-1m/ncf/',
    load: async (directory, options) => {
      const dataset = await loadMovieLens1m(directory, options);
      return dataset.implicit ? dataset : toImplicit(dataset);
    },
  },
  ...(['ml-20m', 'ml-25m', 'ml-latest-small', 'ml-latest'] as const).map(
    (name): DatasetDescriptor => ({
      name,
      description: `MovieLens ${name.slice(3).toUpperCase()}: ratings.csv (0.5–5 stars, timestamps) streamed, movies.csv genres`,
      folder: name,
      url: `https://files.grouplens.org/datasets/movielens/${name}.zip`,
      archiveRoot: `${name}/`,
      requiredFiles: [['ratings.csv']],
      optionalFiles: ['movies.csv'],
      license: GROUPLENS,
      load: (directory, options) => loadMovieLensCsv(name, directory, options),
    }),
  ),
  {
    name: 'lastfm-hetrec',
    description:
      'Last.fm HetRec 2011: 92,834 user–artist play counts from 1,892 users (user_artists.dat, tab-separated, CRLF, header); implicit (values 1)',
    folder: 'hetrec2011-lastfm-2k',
    url: 'https://files.grouplens.org/datasets/hetrec2011/hetrec2011-lastfm-2k.zip',
    requiredFiles: [['user_artists.dat']],
    optionalFiles: ['artists.dat'],
    license: 'HetRec 2011 / Last.fm: research use; cite Cantador et al. (RecSys 2011)',
    load: loadLastfmHetrec,
  },
  {
    name: 'lastfm-1k',
    description:
      'Last.fm 1K (Celma 2010): listening events of ~1,000 users aggregated to user–artist play counts with timestamps of the last play; user gender/age/country',
    folder: 'lastfm-dataset-1K',
    requiredFiles: [['userid-timestamp-artid-artname-traid-traname.tsv']],
    optionalFiles: ['userid-profile.tsv'],
    license: 'Last.fm terms of use; cite Celma, Music Recommendation and Discovery (Springer 2010)',
    manual:
      'download lastfm-dataset-1K.tar.gz from http://ocelma.net/MusicRecommendationDataset/ and extract it into <dataDir>/lastfm-dataset-1K/',
    load: loadLastfm1k,
  },
  {
    name: 'book-crossing',
    description:
      'Book-Crossing (Ziegler et al. 2005): 1.1M ratings 0–10 (0 = implicit) of 278,858 users; ;-separated, quoted, latin-1; user age',
    folder: 'book-crossing',
    requiredFiles: [['BX-Book-Ratings.csv']],
    optionalFiles: ['BX-Users.csv'],
    license: 'Book-Crossing dump: research use; cite Ziegler et al. (WWW 2005)',
    manual:
      'download BX-CSV-Dump.zip (mirror of http://www2.informatik.uni-freiburg.de/~cziegler/BX/) and extract it into <dataDir>/book-crossing/',
    load: loadBookCrossing,
  },
  {
    name: 'yelp',
    description:
      'Yelp Open Dataset reviews (JSON lines): user_id, business_id, stars 1–5, date; business categories when business.json is present',
    folder: 'yelp',
    requiredFiles: [['yelp_academic_dataset_review.json', 'review.json']],
    optionalFiles: ['yelp_academic_dataset_business.json', 'business.json'],
    license: 'Yelp Dataset terms of use (academic, non-commercial); download requires accepting them',
    manual:
      'download the Yelp Open Dataset from https://www.yelp.com/dataset (accept the terms) and put the review JSON into <dataDir>/yelp/',
    load: loadYelp,
  },
  ...(['nyc', 'tky'] as const).map(
    (city): DatasetDescriptor => ({
      name: `foursquare-${city}`,
      description: `Foursquare check-ins TSMC2014 ${city.toUpperCase()} (Yang et al. 2015): user–venue check-ins with UTC timestamps and venue categories`,
      folder: 'foursquare',
      url: 'http://www-public.imtbs-tsp.eu/~zhang_da/pub/dataset_tsmc2014.zip',
      archiveRoot: 'dataset_tsmc2014/',
      requiredFiles: [[`dataset_TSMC2014_${city.toUpperCase()}.txt`]],
      optionalFiles: [],
      license: 'research use; cite Yang et al., IEEE TSMC 2015',
      load: (directory, options) => loadFoursquare(city, directory, options),
    }),
  ),
];

/** The descriptor for `name`, or undefined. */
export function findDataset(name: string): DatasetDescriptor | undefined {
  return DATASETS.find((descriptor) => descriptor.name === name);
}
