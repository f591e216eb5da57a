import { CsrMatrix, createRng, requireFinite, requireInteger, rejectUnknownOptions } from '@trustrec/core-linalg';
import { buildInteractions } from '../core/build-interactions.js';
import { type AttributeColumn, type Dataset, createDataset, memoryLoadReport } from '../core/dataset.js';

export interface SyntheticDatasetOptions {
  readonly numUsers: number;
  readonly numItems: number;
  /** Latent dimension of the generating factors. */
  readonly factors: number;
  readonly seed: number;
  /** Implicit (values 1, default) or explicit ratings 1–5. */
  readonly implicit?: boolean;
  /** Mean interactions per user (default 20; each user gets at least `minPerUser`). */
  readonly interactionsPerUser?: number;
  /** Minimum interactions per user (default 5). */
  readonly minPerUser?: number;
  /** Zipf exponent of item popularity added to the scores (default 1; 0 = no skew). */
  readonly popularitySkew?: number;
  /** Softmax temperature of the item choice: lower = more determined by the factors (default 0.5). */
  readonly temperature?: number;
  /** Number of item categories (default 8). */
  readonly numCategories?: number;
  /** Noise on the attributes derived from the factors (default 0.5; larger = weaker signal). */
  readonly attributeNoise?: number;
}

export interface SyntheticDataset extends Dataset {
  /** The generating factors (row-major), so tests can check recovery. */
  readonly truth: {
    readonly userFactors: Float32Array;
    readonly itemFactors: Float32Array;
    readonly factors: number;
    readonly popularity: Float32Array;
  };
}

const OPTION_NAMES = [
  'numUsers',
  'numItems',
  'factors',
  'seed',
  'implicit',
  'interactionsPerUser',
  'minPerUser',
  'popularitySkew',
  'temperature',
  'numCategories',
  'attributeNoise',
];

const AGE_BUCKETS = ['18-24', '25-34', '35-44', '45-54', '55+'];
const OCCUPATIONS = ['student', 'engineer', 'artist', 'educator', 'health', 'retired'];

/**
 * Seeded synthetic interactions from latent factors (user u, item i score = p_u·q_i + b_i with b_i a Zipf
 * popularity term). Each user picks n_u items without replacement with probability ∝ exp(score / T) (Gumbel-top-k).
 * User attributes are noisy functions of the user factors (gender = sign of p_u0, age bucket = quantile of p_u1,
 * occupation = argmax of a random projection), so attribute-inference attacks have signal; items get a category
 * (argmax of a random projection of q_i) plus a second one with probability 0.3. Always labelled synthetic.
 */
export function generateSyntheticDataset(options: SyntheticDatasetOptions): SyntheticDataset {
  const where = 'generateSyntheticDataset';
  rejectUnknownOptions(where, options, OPTION_NAMES);
  const { numUsers, numItems, factors, seed } = options;
  requireInteger(where, 'numUsers', numUsers, 1, 10_000_000);
  requireInteger(where, 'numItems', numItems, 2, 10_000_000);
  requireInteger(where, 'factors', factors, 1, 1024);
  requireInteger(where, 'seed', seed, 0);
  const implicit = options.implicit ?? true;
  const mean = options.interactionsPerUser ?? 20;
  const minPerUser = options.minPerUser ?? Math.min(5, numItems - 1);
  requireFinite(where, 'interactionsPerUser', mean, 'positive');
  requireInteger(where, 'minPerUser', minPerUser, 1, numItems - 1);
  const skew = options.popularitySkew ?? 1;
  requireFinite(where, 'popularitySkew', skew, 'non-negative');
  const temperature = options.temperature ?? 0.5;
  requireFinite(where, 'temperature', temperature, 'positive');
  const numCategories = options.numCategories ?? 8;
  requireInteger(where, 'numCategories', numCategories, 1, 1000);
  const noise = options.attributeNoise ?? 0.5;
  requireFinite(where, 'attributeNoise', noise, 'non-negative');

  const root = createRng(seed);
  const factorRng = root.fork('factors');
  const userFactors = new Float32Array(numUsers * factors);
  const itemFactors = new Float32Array(numItems * factors);
  const scale = 1 / Math.sqrt(factors);
  for (let i = 0; i < userFactors.length; i++) userFactors[i] = factorRng.normal(0, 1);
  for (let i = 0; i < itemFactors.length; i++) itemFactors[i] = factorRng.normal(0, scale);
  const popularityRng = root.fork('popularity');
  const rank = new Int32Array(numItems);
  for (let i = 0; i < numItems; i++) rank[i] = i;
  popularityRng.shuffle(rank);
  const popularity = new Float32Array(numItems);
  for (let i = 0; i < numItems; i++) popularity[i] = -skew * Math.log(rank[i] + 1);

  const countRng = root.fork('counts');
  const choiceRng = root.fork('choices');
  const users: number[] = [];
  const items: number[] = [];
  const scores = new Float64Array(numItems);
  const keyed = new Float64Array(numItems);
  const order = new Int32Array(numItems);
  const rawValues: number[] = [];
  for (let u = 0; u < numUsers; u++) {
    // Geometric-like count around the mean: min + exponential tail.
    const extra = Math.max(0, mean - minPerUser);
    const n = Math.min(numItems - 1, minPerUser + Math.floor(-Math.log(1 - countRng.nextFloat()) * extra));
    const base = u * factors;
    for (let i = 0; i < numItems; i++) {
      let dot = 0;
      const itemBase = i * factors;
      for (let f = 0; f < factors; f++) dot += userFactors[base + f] * itemFactors[itemBase + f];
      scores[i] = dot + popularity[i];
      let uniform = choiceRng.nextFloat();
      while (uniform === 0) uniform = choiceRng.nextFloat();
      keyed[i] = scores[i] / temperature - Math.log(-Math.log(uniform));
      order[i] = i;
    }
    const top = Array.from(order)
      .sort((a, b) => keyed[b] - keyed[a])
      .slice(0, n);
    for (const item of top) {
      users.push(u);
      items.push(item);
      rawValues.push(scores[item] - popularity[item]);
    }
  }
  const count = users.length;
  const values = new Float32Array(count);
  if (implicit) values.fill(1);
  else {
    let sum = 0;
    let sumSquares = 0;
    for (const value of rawValues) {
      sum += value;
      sumSquares += value * value;
    }
    const average = sum / count;
    const deviation = Math.sqrt(Math.max(1e-12, sumSquares / count - average * average));
    const ratingRng = root.fork('ratings');
    for (let p = 0; p < count; p++) {
      const z = (rawValues[p] - average) / deviation + ratingRng.normal(0, 0.3);
      values[p] = Math.min(5, Math.max(1, Math.round(3.6 + 1.1 * z)));
    }
  }
  const timeRng = root.fork('timestamps');
  const timestamps = new Float64Array(count);
  for (let p = 0; p < count; p++) timestamps[p] = 1_500_000_000 + Math.floor(timeRng.nextFloat() * 31_536_000);
  const built = buildInteractions({
    numUsers,
    numItems,
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    values,
    timestamps,
    count,
    duplicates: 'error',
  });

  const attributeRng = root.fork('attributes');
  const gender = new Int32Array(numUsers);
  const age = new Int32Array(numUsers);
  const occupation = new Int32Array(numUsers);
  const projection = Float32Array.from({ length: OCCUPATIONS.length * factors }, () => attributeRng.normal());
  const ageSignal = new Float64Array(numUsers);
  for (let u = 0; u < numUsers; u++) {
    const base = u * factors;
    gender[u] = userFactors[base] + attributeRng.normal(0, noise) > 0 ? 1 : 0;
    ageSignal[u] = (factors > 1 ? userFactors[base + 1] : userFactors[base]) + attributeRng.normal(0, noise);
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let o = 0; o < OCCUPATIONS.length; o++) {
      let score = attributeRng.normal(0, noise);
      for (let f = 0; f < factors; f++) score += projection[o * factors + f] * userFactors[base + f];
      if (score > bestScore) {
        bestScore = score;
        best = o;
      }
    }
    occupation[u] = best;
  }
  const sortedAge = Float64Array.from(ageSignal).sort();
  for (let u = 0; u < numUsers; u++) {
    let bucket = 0;
    while (
      bucket < AGE_BUCKETS.length - 1 &&
      ageSignal[u] > sortedAge[Math.floor(((bucket + 1) * numUsers) / AGE_BUCKETS.length) - 1]
    )
      bucket++;
    age[u] = bucket;
  }
  const columns: AttributeColumn[] = [
    { kind: 'categorical', name: 'gender', codes: gender, levels: ['F', 'M'] },
    { kind: 'ordinal', name: 'age', codes: age, levels: AGE_BUCKETS },
    { kind: 'categorical', name: 'occupation', codes: occupation, levels: OCCUPATIONS },
  ];

  const categoryRng = root.fork('categories');
  const categoryProjection = Float32Array.from({ length: numCategories * factors }, () => categoryRng.normal());
  const categoryIndptr = new Int32Array(numItems + 1);
  const categoryIndices: number[] = [];
  for (let i = 0; i < numItems; i++) {
    const ranked: { category: number; score: number }[] = [];
    for (let c = 0; c < numCategories; c++) {
      let score = categoryRng.normal(0, 0.1);
      for (let f = 0; f < factors; f++) score += categoryProjection[c * factors + f] * itemFactors[i * factors + f];
      ranked.push({ category: c, score });
    }
    ranked.sort((a, b) => b.score - a.score);
    const chosen = [ranked[0].category];
    if (numCategories > 1 && categoryRng.nextFloat() < 0.3) chosen.push(ranked[1].category);
    chosen.sort((a, b) => a - b);
    categoryIndices.push(...chosen);
    categoryIndptr[i + 1] = categoryIndices.length;
  }
  const categoryNames = Array.from({ length: numCategories }, (_, c) => `category-${c}`);
  const itemCategories = {
    names: categoryNames,
    matrix: new CsrMatrix(
      numItems,
      numCategories,
      categoryIndptr,
      Int32Array.from(categoryIndices),
      new Float32Array(categoryIndices.length).fill(1),
    ),
  };
  const generationOptions = {
    numUsers,
    numItems,
    factors,
    seed,
    implicit,
    interactionsPerUser: mean,
    minPerUser,
    popularitySkew: skew,
    temperature,
    numCategories,
    attributeNoise: noise,
  };
  const dataset = createDataset({
    name: `synthetic-${numUsers}x${numItems}-k${factors}-seed${seed}`,
    interactions: built.matrix,
    implicit,
    ratingScale: implicit ? undefined : { min: 1, max: 5 },
    timestamps: built.timestamps,
    userIds: Array.from({ length: numUsers }, (_, u) => `u${u}`),
    itemIds: Array.from({ length: numItems }, (_, i) => `i${i}`),
    userAttributes: { columns },
    itemCategories,
    synthetic: true,
    provenance: { source: 'synthetic', files: [], loadOptions: generationOptions },
    loadReport: memoryLoadReport(built.matrix.nnz, [
      'synthetic data generated from latent factors (labelled synthetic)',
    ]),
  });
  return Object.freeze({ ...dataset, truth: { userFactors, itemFactors, factors, popularity } });
}
