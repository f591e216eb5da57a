import { privateRuntimeDir } from './runtime-dir.js';
import { type TfModule, importOptional, loadTfjsCore } from './tfjs-module.js';

/** The TensorFlow.js backends TrustRec knows, best first. */
export type TfjsBackendName = 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';

export const TFJS_BACKEND_PRIORITY: readonly TfjsBackendName[] = ['tensorflow', 'webgpu', 'wasm', 'cpu'];

/** The outcome of trying to initialise one backend. */
export interface BackendProbe {
  readonly name: TfjsBackendName;
  readonly available: boolean;
  /** Why it is unavailable, or what was found (adapter, SIMD, ...). */
  readonly reason: string;
  /** True for a WebGPU software (fallback) adapter such as Mesa's llvmpipe: correct, but slower than wasm. */
  readonly software?: boolean;
}

const probes = new Map<TfjsBackendName, Promise<BackendProbe>>();

/** Initialises `name` once per process and runs its self-test; later calls return the cached outcome. */
export function probeBackend(name: TfjsBackendName): Promise<BackendProbe> {
  let probe = probes.get(name);
  if (!probe) {
    probe = runProbe(name);
    probes.set(name, probe);
  }
  return probe;
}

async function runProbe(name: TfjsBackendName): Promise<BackendProbe> {
  const tf = await loadTfjsCore();
  let found = '';
  let software = false;
  try {
    if (name === 'tensorflow') {
      await importOptional('@tensorflow/tfjs-node');
      found = 'native TensorFlow from @tensorflow/tfjs-node';
    } else if (name === 'webgpu') {
      const adapter = await installWebGpu();
      if ('reason' in adapter) return { name, available: false, reason: adapter.reason };
      await import('@tensorflow/tfjs-backend-webgpu');
      software = adapter.software;
      found = `WebGPU ${adapter.software ? 'software (fallback) ' : ''}adapter: ${adapter.description}`;
    } else if (name === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
    } else {
      await import('@tensorflow/tfjs-backend-cpu');
      found = 'plain JavaScript kernels';
    }
  } catch (error) {
    return { name, available: false, reason: `could not load: ${firstLine(error)}` };
  }
  if (!tf.findBackendFactory(name)) {
    return { name, available: false, reason: 'backend did not register with TensorFlow.js' };
  }
  let initialised = false;
  try {
    initialised = await tf.setBackend(name);
  } catch (error) {
    return { name, available: false, reason: `initialisation threw: ${firstLine(error)}` };
  }
  if (!initialised) return { name, available: false, reason: 'initialisation failed (tf.setBackend returned false)' };
  // A broken device can throw instead of returning wrong numbers; either way the backend is skipped, and the
  // probe (cached per process) never rejects, so `auto` never throws because of one bad backend.
  let selfTest: string | undefined;
  try {
    selfTest = await matmulSelfTest(tf);
  } catch (error) {
    return { name, available: false, reason: `self-test threw: ${firstLine(error)}` };
  }
  if (selfTest !== undefined) return { name, available: false, reason: `self-test failed: ${selfTest}` };
  if (name === 'wasm') {
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
    found = `SIMD ${simd ? 'on' : 'off'}, ${threads ? 'multi-threaded' : 'one thread'}`;
  }
  return software ? { name, available: true, reason: found, software } : { name, available: true, reason: found };
}

/**
 * Multiplies two small known matrices and checks every element: a null or broken adapter (Dawn's null
 * backend returns garbage) fails here. Returns undefined when correct, else a description.
 */
async function matmulSelfTest(tf: TfModule): Promise<string | undefined> {
  const a = tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]);
  const b = tf.tensor2d([7, 8, 9, 10, 11, 12], [3, 2]);
  const ones = tf.ones([4, 4]);
  const product = tf.matMul(a, b);
  const onesProduct = tf.matMul(ones, ones);
  try {
    const values = await product.data();
    const onesValues = await onesProduct.data();
    const expected = [58, 64, 139, 154];
    for (let i = 0; i < expected.length; i++) {
      if (Math.abs(values[i] - expected[i]) > 1e-3)
        return `[1..6]·[7..12] gave ${Array.from(values).join(',')}, expected 58,64,139,154`;
    }
    let sum = 0;
    for (const value of onesValues) sum += value;
    if (Math.abs(sum - 64) > 1e-3) return `4×4 ones·ones summed to ${sum}, expected 64`;
    return undefined;
  } finally {
    tf.dispose([a, b, ones, product, onesProduct]);
  }
}

interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

interface GpuLike {
  requestAdapter(options?: unknown): Promise<{ info?: AdapterInfoLike; isFallbackAdapter?: boolean } | null>;
}

/**
 * Makes WebGPU visible to TensorFlow.js. In a browser `navigator.gpu` already exists. In Node, the optional
 * `webgpu` package (Dawn) provides it; its globals must be installed before the tfjs WebGPU backend is
 * imported, because that backend registers itself only when `navigator.gpu` exists at import time.
 * Returns the adapter's description and whether it is a software (fallback) adapter, or why none is usable.
 */
async function installWebGpu(): Promise<{ description: string; software: boolean } | { reason: string }> {
  const globalScope = globalThis as { navigator?: { gpu?: GpuLike } };
  if (!globalScope.navigator?.gpu) {
    let dawn: { create: (flags: string[]) => GpuLike; globals: Record<string, unknown> };
    try {
      dawn = (await importOptional('webgpu')) as typeof dawn;
    } catch {
      return { reason: 'no WebGPU in this runtime (install the optional `webgpu` package to use Dawn in Node)' };
    }
    // Dawn warns on every start when XDG_RUNTIME_DIR is unset; give it a private folder: one stable folder per
    // user, reused by every process (a fresh one per process would pile up in the temp folder), or a fresh one
    // removed at exit when the stable one is unsafe (see privateRuntimeDir).
    if (!process.env.XDG_RUNTIME_DIR) {
      process.env.XDG_RUNTIME_DIR = (await privateRuntimeDir()).path;
    }
    Object.assign(globalThis, dawn.globals);
    const navigatorObject = globalScope.navigator ?? {};
    navigatorObject.gpu = dawn.create([]);
    if (!globalScope.navigator) {
      Object.defineProperty(globalThis, 'navigator', { value: navigatorObject, configurable: true, writable: true });
    }
  }
  const gpu = globalScope.navigator?.gpu;
  if (!gpu) return { reason: 'navigator.gpu is unavailable' };
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    return {
      reason: 'no WebGPU adapter found (needs a GPU driver, or Mesa ≥ 25 Vulkan drivers for a software adapter)',
    };
  }
  const info = adapter.info ?? {};
  const description = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'unnamed adapter';
  const software =
    info.isFallbackAdapter === true || adapter.isFallbackAdapter === true || info.architecture === 'software';
  return { description, software };
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0].slice(0, 200);
}
