import { TrustRecError } from '../errors/trust-rec-error.js';
import { type BackendProbe, TFJS_BACKEND_PRIORITY, type TfjsBackendName, probeBackend } from './probe-backends.js';
import { type TfModule, loadTfjsCore } from './tfjs-module.js';

/** `auto` (best available), one backend (pinned: an error if unavailable), or an ordered list to try. */
export type BackendPreference = 'auto' | TfjsBackendName | readonly TfjsBackendName[];

export interface SelectBackendOptions {
  /** The package or subsystem asking (e.g. `models`); enables `TRUSTREC_BACKEND_<SCOPE>`. Default `default`. */
  scope?: string;
  /** Environment to read overrides from; default `process.env` (absent in browsers). */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface BackendSelection {
  readonly name: TfjsBackendName;
  readonly scope: string;
  /** Where the preference came from: the call's argument, an environment variable, or the default order. */
  readonly source: 'argument' | 'default' | `env:${string}`;
  /** Every backend tried, in order, with why it was skipped or what was found. */
  readonly attempts: readonly BackendProbe[];
  /** The TensorFlow.js module, with `name` active. */
  readonly tf: TfModule;
}

const VALID_NAMES = new Set<string>(TFJS_BACKEND_PRIORITY);

function parsePreference(text: string, origin: string): BackendPreference {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'auto' || trimmed === '') return 'auto';
  const names = trimmed.split(',').map((part) => part.trim());
  for (const name of names) {
    if (!VALID_NAMES.has(name)) {
      throw new TrustRecError({
        code: 'E_BACKEND',
        message: `${origin}: unknown backend "${name}"; use auto or one of ${TFJS_BACKEND_PRIORITY.join(', ')} (comma-separated for an order)`,
        details: { origin, value: text },
      });
    }
  }
  return names.length === 1 ? (names[0] as TfjsBackendName) : (names as TfjsBackendName[]);
}

function resolvePreference(
  preference: BackendPreference | undefined,
  scope: string,
  env: Readonly<Record<string, string | undefined>>,
): { preference: BackendPreference; source: BackendSelection['source'] } {
  if (preference !== undefined && preference !== 'auto') {
    const list = typeof preference === 'string' ? [preference] : preference;
    if (list.length === 0) {
      throw new TrustRecError({
        code: 'E_BACKEND',
        message: `selectBackend preference: the backend list is empty; use auto or name at least one of ${TFJS_BACKEND_PRIORITY.join(', ')}`,
      });
    }
    // Use the parsed (trimmed, lower-cased, validated) form, so ' WASM' means wasm here as it does in the env.
    return { preference: parsePreference(list.join(','), 'selectBackend preference'), source: 'argument' };
  }
  const scopedKey = `TRUSTREC_BACKEND_${scope.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
  for (const key of [scopedKey, 'TRUSTREC_BACKEND']) {
    const value = env[key];
    if (value !== undefined && value.trim() !== '' && value.trim().toLowerCase() !== 'auto') {
      return { preference: parsePreference(value, key), source: `env:${key}` };
    }
  }
  return { preference: 'auto', source: 'default' };
}

/**
 * Chooses the TensorFlow.js backend for a scope, best first: `tensorflow` (native, if the optional
 * `@tensorflow/tfjs-node` is installed) → `webgpu` (only if an adapter exists and a matMul self-test is right)
 * → `wasm` → `cpu`; a WebGPU software (fallback) adapter is correct but slower than wasm, so `auto` ranks it
 * just above `cpu` and reports why (pinning `webgpu` uses it).
 *
 * Precedence: a `preference` argument other than `'auto'` (a name or a list) wins; an absent or `'auto'`
 * argument defers to the environment: `TRUSTREC_BACKEND_<SCOPE>` (scope upper-cased, other characters `_`),
 * then `TRUSTREC_BACKEND`, then the default order. A variable that is empty, blank or `auto` counts as unset, so
 * `TRUSTREC_BACKEND_<SCOPE>=auto` does not override `TRUSTREC_BACKEND`. `source` says which one decided.
 *
 * A pinned single backend that is unavailable is an E_BACKEND error, never a silent fallback; a list or `auto`
 * falls back in order. Imports never fail: missing optional packages are reported as skipped with the reason.
 */
export async function selectBackend(
  preference?: BackendPreference,
  options: SelectBackendOptions = {},
): Promise<BackendSelection> {
  const scope = options.scope ?? 'default';
  const env = options.env ?? (typeof process === 'undefined' ? {} : process.env);
  const resolved = resolvePreference(preference, scope, env);
  const order: readonly TfjsBackendName[] =
    resolved.preference === 'auto'
      ? TFJS_BACKEND_PRIORITY
      : typeof resolved.preference === 'string'
        ? [resolved.preference as TfjsBackendName]
        : resolved.preference;
  const attempts: BackendProbe[] = [];
  const deferred: BackendProbe[] = [];
  const tf = await loadTfjsCore();
  const choose = async (probe: BackendProbe): Promise<BackendSelection> => {
    if (tf.getBackend() !== probe.name) await tf.setBackend(probe.name);
    return { name: probe.name, scope, source: resolved.source, attempts, tf };
  };
  for (const name of order) {
    const probe = await probeBackend(name);
    if (probe.available && probe.software && resolved.preference === 'auto' && name !== 'cpu') {
      // A software WebGPU adapter computes correctly but slower than wasm: auto ranks it just above cpu.
      attempts.push({
        ...probe,
        available: false,
        reason: `${probe.reason}; auto prefers wasm over a software adapter (pin webgpu to use it)`,
      });
      deferred.push(probe);
      continue;
    }
    if (name === 'cpu' && deferred.length > 0) {
      // Every faster backend failed: the software adapter beats cpu after all. Report it as the choice.
      const chosen = deferred[0];
      const index = attempts.findIndex((attempt) => attempt.name === chosen.name);
      attempts[index] = { ...chosen, reason: `${chosen.reason}; chosen by auto because wasm is unavailable` };
      return choose(chosen);
    }
    attempts.push(probe);
    if (probe.available) return choose(probe);
  }
  const tried = attempts.map((attempt) => `${attempt.name}: ${attempt.reason}`).join('; ');
  throw new TrustRecError({
    code: 'E_BACKEND',
    message: `selectBackend (scope ${scope}, from ${resolved.source}): no requested backend is usable (${tried}). Use auto, or install what the reason names.`,
    details: { scope, attempts },
  });
}

/** The probe outcome of every known backend (for `trustrec env` and tests). */
export async function probeAllBackends(): Promise<BackendProbe[]> {
  const results: BackendProbe[] = [];
  for (const name of TFJS_BACKEND_PRIORITY) results.push(await probeBackend(name));
  return results;
}
