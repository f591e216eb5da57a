import { TrustRecError } from '@trustrec/core-linalg';
import type { NcfNetwork } from './ncf-network.js';

/**
 * NeuMF initialisation from pre-trained GMF and MLP (He et al. 2017, §3.4.1, eq. 13): the GMF and MLP
 * embeddings and the MLP tower are copied, and the output layer becomes h ← [α·h^GMF; (1 − α)·h^MLP] with
 * bias α·b^GMF + (1 − α)·b^MLP (the paper's code and the PyTorch port use α = 0.5). Throws `E_CONFIG` when the
 * shapes differ (factors, layers, users, items). Resets the target's optimiser state.
 */
export function initializeFromPretrained(target: NcfNetwork, gmf: NcfNetwork, mlp: NcfNetwork, alpha: number): void {
  const t = target.architecture;
  const g = gmf.architecture;
  const m = mlp.architecture;
  const problems: string[] = [];
  if (t.kind !== 'neumf') problems.push(`the target is ${t.kind}, not neumf`);
  if (g.kind !== 'gmf') problems.push(`the GMF source is ${g.kind}`);
  if (m.kind !== 'mlp') problems.push(`the MLP source is ${m.kind}`);
  if (g.factors !== t.factors) problems.push(`GMF factors ${g.factors} ≠ NeuMF factors ${t.factors}`);
  if (m.layers.join(',') !== t.layers.join(','))
    problems.push(`MLP layers [${m.layers.join(', ')}] ≠ NeuMF layers [${t.layers.join(', ')}]`);
  for (const source of [g, m]) {
    if (source.numUsers !== t.numUsers || source.numItems !== t.numItems) {
      problems.push(
        `${source.kind} was fitted on ${source.numUsers}×${source.numItems}, NeuMF on ${t.numUsers}×${t.numItems}`,
      );
    }
  }
  if (!(alpha >= 0 && alpha <= 1)) problems.push(`alpha ${alpha} is outside [0, 1]`);
  if (problems.length > 0) {
    throw new TrustRecError({
      code: 'E_CONFIG',
      message: `neumf pre-training: ${problems.join('; ')}. Fit GMF and MLP with the same factors, layers and training matrix as NeuMF`,
    });
  }
  target.setParameter('gmfUser', gmf.parameters.gmfUser);
  target.setParameter('gmfItem', gmf.parameters.gmfItem);
  target.setParameter('mlpUser', mlp.parameters.mlpUser);
  target.setParameter('mlpItem', mlp.parameters.mlpItem);
  for (let l = 0; l < target.towerDepth; l++) {
    target.setParameter(`weights${l}`, mlp.parameters[`weights${l}`]);
    target.setParameter(`bias${l}`, mlp.parameters[`bias${l}`]);
  }
  const gmfWeights = gmf.parameters.outputWeights;
  const mlpWeights = mlp.parameters.outputWeights;
  const output = new Float32Array(gmfWeights.length + mlpWeights.length);
  for (let k = 0; k < gmfWeights.length; k++) output[k] = alpha * gmfWeights[k];
  for (let k = 0; k < mlpWeights.length; k++) output[gmfWeights.length + k] = (1 - alpha) * mlpWeights[k];
  target.setParameter('outputWeights', output);
  target.setParameter(
    'outputBias',
    Float32Array.of(alpha * gmf.parameters.outputBias[0] + (1 - alpha) * mlp.parameters.outputBias[0]),
  );
  target.resetOptimizer();
}
