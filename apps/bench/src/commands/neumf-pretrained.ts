import { TrustRecError } from '@trustrec/core-linalg';
import { Gmf, MatrixFactorizationLogistic, Mlp } from '@trustrec/models';
import { readModelFile } from './read-model-file.js';

/** The pre-trained parts `trustrec train --model neumf --pretrained-gmf … --pretrained-mlp …` starts from. */
export interface NeuMfPretrainedParts {
  readonly gmf: Gmf;
  readonly mlp: Mlp;
  /** What the GMF file held: a GMF, or a logistic MF (`mf`) converted by `Gmf.fromLogisticMf` (K + 2 factors). */
  readonly gmfSource: 'gmf' | 'mf';
  readonly files: { readonly gmf: string; readonly mlp: string };
}

function pretrainedError(message: string, option: string, file?: string): TrustRecError {
  return new TrustRecError({
    code: 'E_CONFIG',
    message: `trustrec train: --${option}${file === undefined ? '' : ` ${file}`}: ${message}`,
    details: file === undefined ? { option } : { option, file },
  });
}

/**
 * Loads the files of `--pretrained-gmf` (a saved `gmf`, or a saved logistic `mf`, converted exactly) and
 * `--pretrained-mlp` (a saved `mlp`). Returns undefined when neither flag is given. Both or neither; only for
 * `--model neumf` (E_CONFIG otherwise, and for a file holding another model).
 */
export async function loadNeuMfPretrainedParts(
  model: string,
  gmfFile: string | undefined,
  mlpFile: string | undefined,
): Promise<NeuMfPretrainedParts | undefined> {
  if (gmfFile === undefined && mlpFile === undefined) return undefined;
  const option = gmfFile !== undefined ? 'pretrained-gmf' : 'pretrained-mlp';
  if (model !== 'neumf')
    throw pretrainedError(`only --model neumf starts from pre-trained parts, not ${model}`, option);
  if (gmfFile === undefined) throw pretrainedError('give --pretrained-gmf too (NeuMF needs both parts)', option);
  if (mlpFile === undefined) throw pretrainedError('give --pretrained-mlp too (NeuMF needs both parts)', option);
  const gmfModel = await readModelFile(gmfFile, { command: 'train', option: 'pretrained-gmf' });
  const mlpModel = await readModelFile(mlpFile, { command: 'train', option: 'pretrained-mlp' });
  let gmf: Gmf;
  let gmfSource: 'gmf' | 'mf';
  if (gmfModel instanceof Gmf) {
    gmf = gmfModel;
    gmfSource = 'gmf';
  } else if (gmfModel instanceof MatrixFactorizationLogistic) {
    gmf = Gmf.fromLogisticMf(gmfModel);
    gmfSource = 'mf';
  } else {
    throw pretrainedError(
      `the file holds a '${gmfModel.name}' model; give a model saved by \`trustrec train --model gmf\` or \`--model mf\``,
      'pretrained-gmf',
      gmfFile,
    );
  }
  if (!(mlpModel instanceof Mlp)) {
    throw pretrainedError(
      `the file holds a '${mlpModel.name}' model; give a model saved by \`trustrec train --model mlp\``,
      'pretrained-mlp',
      mlpFile,
    );
  }
  return { gmf, mlp: mlpModel, gmfSource, files: { gmf: gmfFile, mlp: mlpFile } };
}

/** NeuMF options that say how `fit` pre-trains: with saved parts nothing is pre-trained, so they are refused. */
const PRETRAINING_OPTIONS = ['pretrainEpochs', 'gmfPretraining'] as const;

/**
 * NeuMF's hyper-parameters with `factors` and `layers` taken from the pre-trained parts where the flags leave
 * them out (given ones are kept, and a mismatch is reported by NeuMF's fit as E_CONFIG). Options that would
 * pre-train (`pretrainEpochs`, `gmfPretraining`) are E_CONFIG here: the saved parts replace that stage.
 */
export function withPretrainedShape(
  hyperParameters: Readonly<Record<string, unknown>>,
  parts: NeuMfPretrainedParts,
): Record<string, unknown> {
  for (const option of PRETRAINING_OPTIONS) {
    if (hyperParameters[option] !== undefined) {
      throw pretrainedError(
        `--param ${option} has no effect with saved parts (they are already pre-trained); drop it, or drop --pretrained-gmf/--pretrained-mlp to pre-train inside fit`,
        'pretrained-gmf',
        parts.files.gmf,
      );
    }
  }
  return {
    ...hyperParameters,
    factors: hyperParameters.factors ?? parts.gmf.factors,
    layers: hyperParameters.layers ?? [...parts.mlp.hyperParameters.layers],
  };
}
