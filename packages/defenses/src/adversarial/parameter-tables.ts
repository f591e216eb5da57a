import { TrustRecError } from '@trustrec/core-linalg';
import {
  type FactorModel,
  type GradientModel,
  type ParameterTable,
  SparseGradientBatch,
  createParameterTable,
  isFactorModel,
} from '@trustrec/models';

/**
 * The live parameter tables of a fitted gradient model. `parameterTables()` when it lists them; otherwise, for a
 * factor model whose tables were never built (MF-BPR builds them only when it fits through the generic loop: not
 * with its fused kernel — plain SGD at batch size 1, its default — nor when loaded from saved bytes), the MF
 * layout `[userFactors, itemFactors, itemBias?]` over the live arrays — checked by probing `computeGradients`
 * on one triple: the rows it touches must be (0, u), (1, i), (1, j) (and (2, i), (2, j) with a bias), else
 * E_CONFIG. The fallback is needed only while the models package's `parameterTables()` can be empty on a fitted
 * MF-BPR.
 */
export function resolveParameterTables(
  where: string,
  model: GradientModel & Partial<FactorModel>,
): readonly ParameterTable[] {
  const listed = model.parameterTables();
  if (listed.length > 0) return listed;
  if (!isFactorModel(model as never)) {
    throw new TrustRecError({
      code: 'E_CONFIG',
      message: `${where}: the model lists no parameterTables() and is not a factor model; fit it through the generic training loop first`,
    });
  }
  const factorModel = model as unknown as FactorModel & GradientModel;
  const k = factorModel.factors;
  const tables = [
    createParameterTable('userFactors', factorModel.userFactors, k),
    createParameterTable('itemFactors', factorModel.itemFactors, k),
  ];
  if (factorModel.itemBias) tables.push(createParameterTable('itemBias', factorModel.itemBias, 1));
  if (factorModel.numUsers < 1 || factorModel.numItems < 2) {
    throw new TrustRecError({
      code: 'E_CONFIG',
      message: `${where}: the factor model needs at least one user and two items`,
    });
  }
  const probe = new SparseGradientBatch(tables, 8);
  const u = factorModel.numUsers - 1;
  const i = 0;
  const j = factorModel.numItems - 1;
  factorModel.computeGradients(
    {
      size: 1,
      negativesPerPositive: 1,
      users: Int32Array.of(u),
      positives: Int32Array.of(i),
      negatives: Int32Array.of(j),
    },
    probe,
  );
  const touched = Array.from({ length: probe.count }, (_, e) => `${probe.tableOf[e]}:${probe.rowOf[e]}`).join(',');
  const expected = [`0:${u}`, `1:${i}`, `1:${j}`, ...(factorModel.itemBias ? [`2:${i}`, `2:${j}`] : [])].join(',');
  if (touched !== expected) {
    throw new TrustRecError({
      code: 'E_CONFIG',
      message: `${where}: model '${factorModel.name}' lists no parameterTables() and its gradients do not follow the MF table layout (touched ${touched}, expected ${expected})`,
    });
  }
  return tables;
}
