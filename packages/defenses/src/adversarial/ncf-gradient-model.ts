import { TrustRecError } from '@trustrec/core-linalg';
import {
  type GradientModel,
  type NcfNetwork,
  type ParameterTable,
  type SparseGradientBatch,
  type TrainingBatch,
  createParameterTable,
} from '@trustrec/models';

/** A {@link GradientModel} view of an NCF network (see {@link ncfGradientModel}). */
export interface NcfGradientModel extends GradientModel {
  readonly network: NcfNetwork;
  /** Names of the embedding tables (what APR perturbs by default). */
  readonly embeddingTables: readonly string[];
}

const EMBEDDINGS = [
  ['gmfUser', 'gmfUserEmbedding', true],
  ['gmfItem', 'gmfItemEmbedding', false],
  ['mlpUser', 'mlpUserEmbedding', true],
  ['mlpItem', 'mlpItemEmbedding', false],
] as const;

/**
 * Exposes an NCF network (GMF / MLP / NeuMF, He et al. 2017; the models package's hand-written backward pass)
 * to the generic training loop as a {@link GradientModel}, so APR applies to NCF's embeddings (seed 001 §3.3: APR
 * is model-agnostic). Tables: `gmfUserEmbedding`, `gmfItemEmbedding`, `mlpUserEmbedding`, `mlpItemEmbedding`
 * (the live embedding arrays, one row per user/item) and one single-row table per dense parameter
 * (`weights0`, `bias0`, …, `outputWeights`, `outputBias`).
 *
 * `computeGradients` turns a batch of positives with `negativesPerPositive` negatives into NCF instances (label 1
 * and 0), runs the network's forward/backward pass and writes the gradient of the SUMMED binary cross-entropy
 * (eq. 7) as ONE example holding every touched row — the network aggregates over the batch, so per-example
 * gradients (DP-SGD clipping) are not available through this view; APR and weight decay need only the sum.
 * The batch's instances (positives × (1 + negativesPerPositive)) must fit `network.capacity`, else E_ARGUMENT; for
 * a network built by the models package's NCF recommenders (GMF, MLP, NeuMF) that is max(batchSize, 512), its
 * training batch size but at least the 512 rows it scores per call.
 */
export function ncfGradientModel(network: NcfNetwork): NcfGradientModel {
  const { numUsers, numItems, factors } = network.architecture;
  const tables: ParameterTable[] = [];
  const embeddings: { tableIndex: number; source: 'gmfUser' | 'gmfItem' | 'mlpUser' | 'mlpItem'; user: boolean }[] = [];
  for (const [source, name, user] of EMBEDDINGS) {
    const data = network.parameters[source];
    if (!data) continue;
    const rowLength = source.startsWith('gmf') ? factors : network.mlpFactors;
    embeddings.push({ tableIndex: tables.length, source, user });
    tables.push(createParameterTable(name, data, rowLength));
    if (tables[tables.length - 1].numRows !== (user ? numUsers : numItems)) {
      throw new TrustRecError({
        code: 'E_SHAPE',
        message: `ncfGradientModel: parameter '${source}' does not hold one row per ${user ? 'user' : 'item'}`,
      });
    }
  }
  const dense: { tableIndex: number; name: string }[] = [];
  for (const name of Object.keys(network.denseGradients)) {
    dense.push({ tableIndex: tables.length, name });
    tables.push(createParameterTable(name, network.parameters[name], network.parameters[name].length));
  }
  let users = new Int32Array(0);
  let items = new Int32Array(0);
  let labels = new Float32Array(0);
  return {
    network,
    embeddingTables: embeddings.map((entry) => tables[entry.tableIndex].name),
    parameterTables: () => tables,
    computeGradients(examples: TrainingBatch, out: SparseGradientBatch): number {
      const n = examples.negativesPerPositive;
      const rows = examples.size * (1 + n);
      if (rows > network.capacity) {
        throw new TrustRecError({
          code: 'E_ARGUMENT',
          message: `ncfGradientModel: a batch of ${examples.size} positives × (1 + ${n}) = ${rows} instances exceeds the network's capacity ${network.capacity}; lower the batch size`,
        });
      }
      if (users.length < rows) {
        users = new Int32Array(rows);
        items = new Int32Array(rows);
        labels = new Float32Array(rows);
      }
      let r = 0;
      for (let t = 0; t < examples.size; t++) {
        users[r] = examples.users[t];
        items[r] = examples.positives[t];
        labels[r++] = 1;
        for (let s = 0; s < n; s++) {
          users[r] = examples.users[t];
          items[r] = examples.negatives[t * n + s];
          labels[r++] = 0;
        }
      }
      // The loop's optimizer writes the weights in place; the backward pass reads their transposed copies.
      network.syncTransposedWeights();
      const loss = network.computeGradients(users, items, labels, rows);
      out.beginExample();
      // network gradients are of the mean loss over `rows` instances; scale to the summed loss
      for (const { tableIndex, source, user } of embeddings) {
        const seen = new Set<number>();
        const ids = user ? users : items;
        for (let s = 0; s < rows; s++) {
          const row = ids[s];
          if (seen.has(row)) continue;
          seen.add(row);
          const gradient = network.embeddingGradient(source, row);
          const offset = out.addRow(tableIndex, row);
          const values = out.values;
          for (let c = 0; c < gradient.length; c++) values[offset + c] = rows * gradient[c];
        }
      }
      for (const { tableIndex, name } of dense) {
        const gradient = network.denseGradients[name];
        const offset = out.addRow(tableIndex, 0);
        const values = out.values;
        for (let c = 0; c < gradient.length; c++) values[offset + c] = rows * gradient[c];
      }
      return loss;
    },
  };
}
