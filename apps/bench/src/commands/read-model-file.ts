import { readFile } from 'node:fs/promises';
import { TrustRecError } from '@trustrec/core-linalg';
import { loadModel } from '@trustrec/models';

/**
 * Reads a model saved with `trustrec train … --save`. Errors name the command, the flag (when the file came from
 * one) and the file: E_IO when it cannot be read, the model format's own code (E_FORMAT …) when it is not a model.
 */
export async function readModelFile(
  file: string,
  context: { command: string; option?: string },
): Promise<ReturnType<typeof loadModel>> {
  const where = `trustrec ${context.command}: ${context.option === undefined ? '' : `--${context.option} `}${file}`;
  const at = context.option === undefined ? { file } : { option: context.option, file };
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (cause) {
    throw new TrustRecError({
      code: 'E_IO',
      message: `${where}: cannot read the file (${(cause as Error).message}); give the path of a model saved with \`trustrec train … --save\``,
      cause,
      details: at,
    });
  }
  try {
    return loadModel(bytes);
  } catch (cause) {
    if (!TrustRecError.isInstance(cause)) throw cause;
    // The model format's own error (E_FORMAT …), prefixed with the flag and file it came from.
    throw new TrustRecError({
      code: cause.code,
      message: `${where}: ${cause.message}`,
      cause,
      details: { ...cause.details, ...at },
    });
  }
}
