import type { LinalgBackend } from './linalg-backend.js';
import { TFJS_BACKEND_PRIORITY, probeBackend } from './probe-backends.js';
import {
  type BackendPreference,
  type BackendSelection,
  type SelectBackendOptions,
  selectBackend,
} from './select-backend.js';
import { TfjsLinalgBackend } from './tfjs-linalg-backend.js';
import { loadTfjsCore } from './tfjs-module.js';
import { TypedArrayBackend } from './typed-array-backend.js';

/**
 * A {@link LinalgBackend}: `typed-array` for the hand-written kernels, or a TensorFlow.js backend chosen by
 * {@link selectBackend} (same preference rules and environment overrides). Returns the selection too, so
 * reports can print what was chosen and why.
 */
export async function createLinalgBackend(
  preference: 'typed-array' | BackendPreference = 'auto',
  options: SelectBackendOptions = {},
): Promise<{ backend: LinalgBackend; selection?: BackendSelection }> {
  if (preference === 'typed-array') return { backend: new TypedArrayBackend() };
  const selection = await selectBackend(preference, options);
  return { backend: new TfjsLinalgBackend(selection.tf, selection.name), selection };
}

/**
 * Every backend usable in this process: the typed-array reference first, then each TensorFlow.js backend that
 * initialises and passes its self-test. Used by `describeEachBackend` suites.
 */
export async function listLinalgBackends(): Promise<LinalgBackend[]> {
  const backends: LinalgBackend[] = [new TypedArrayBackend()];
  const tf = await loadTfjsCore();
  for (const name of TFJS_BACKEND_PRIORITY) {
    const probe = await probeBackend(name);
    if (probe.available) backends.push(new TfjsLinalgBackend(tf, name));
  }
  return backends;
}
