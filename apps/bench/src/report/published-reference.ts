/**
 * Published numbers printed beside ours. They come from other datasets and other runs: every rendering labels
 * them "published reference, different dataset".
 */
export interface PublishedTable {
  readonly id: string;
  readonly source: string;
  readonly dataset: string;
  /** Column keys in our metric naming (`hr@50`, `ndcg@100`, `auc`). */
  readonly columns: readonly string[];
  readonly rows: readonly {
    readonly method: string;
    readonly matchesModelKind?: string;
    readonly values: Readonly<Record<string, number>>;
  }[];
}

export interface PublishedReference {
  readonly id: string;
  readonly title: string;
  readonly note: string;
  readonly tables: readonly PublishedTable[];
}

const COLUMNS = ['hr@50', 'hr@100', 'ndcg@50', 'ndcg@100', 'auc'] as const;

function row(method: string, values: readonly number[], matchesModelKind?: string) {
  return {
    method,
    matchesModelKind,
    values: Object.fromEntries(COLUMNS.map((column, index) => [column, values[index]])),
  };
}

/**
 * Seed 001 ("Adversarial Personalized Ranking for Recommendation", course report on He et al. SIGIR 2018),
 * §5.4, Table 3 (Book-Crossing) and Table 4 (Yelp): HR and NDCG at K = 50 and 100, and AUC. "AMF-grad" is
 * APR (adversarial training with gradient perturbations, seed 001 eq. 11–12); "AMF-random" trains with random
 * perturbations instead, which this experiment does not run.
 */
export const SEED_001_REFERENCE: PublishedReference = {
  id: 'seed-001',
  title: 'Published reference (seed 001, Tables 3–4, Book-Crossing/Yelp — not the same run)',
  note: 'published reference, different dataset: seed 001 §5.4 reports these on Book-Crossing and Yelp; our numbers are on the dataset named in this report.',
  tables: [
    {
      id: 'table-3',
      source: 'seed 001, Table 3',
      dataset: 'Book-Crossing',
      columns: COLUMNS,
      rows: [
        row('MF-BPR', [0.0988, 0.1544, 0.031, 0.0375, 0.7882], 'bpr'),
        row('AMF-random', [0.1066, 0.1529, 0.0358, 0.0421, 0.7849]),
        row('AMF-grad (APR)', [0.1112, 0.1653, 0.0336, 0.0424, 0.7916], 'apr'),
      ],
    },
    {
      id: 'table-4',
      source: 'seed 001, Table 4',
      dataset: 'Yelp',
      columns: COLUMNS,
      rows: [
        row('MF-BPR', [0.1227, 0.1906, 0.0373, 0.0483, 0.9268], 'bpr'),
        row('AMF-random', [0.1227, 0.1876, 0.0383, 0.0488, 0.9173]),
        row('AMF-grad (APR)', [0.1272, 0.2027, 0.0383, 0.0504, 0.919], 'apr'),
      ],
    },
  ],
};

export const PUBLISHED_REFERENCE_TABLES: Readonly<Record<string, PublishedReference>> = {
  'seed-001': SEED_001_REFERENCE,
};
