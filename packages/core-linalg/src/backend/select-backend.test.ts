import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { TrustRecError } from '../errors/trust-rec-error.js';
import { createLinalgBackend } from './create-linalg-backend.js';
import { TFJS_BACKEND_PRIORITY, probeBackend } from './probe-backends.js';
import { type BackendPreference, probeAllBackends, selectBackend } from './select-backend.js';
import { TypedArrayBackend } from './typed-array-backend.js';

// Probes are cached per process (each vitest file runs in its own), and every test passes `env` explicitly so
// that a TRUSTREC_BACKEND set in the shell or CI cannot change the outcome.
const expectWebGpu = process.env.TRUSTREC_EXPECT_WEBGPU === '1';
// Read before any probe: probing webgpu through Dawn sets it when unset.
const xdgRuntimeDirAtStart = process.env.XDG_RUNTIME_DIR;

async function expectBackendError(action: () => Promise<unknown>): Promise<TrustRecError> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  expect(TrustRecError.isInstance(caught, 'E_BACKEND'), String(caught)).toBe(true);
  return caught as TrustRecError;
}

describe('probeBackend / probeAllBackends', () => {
  test('every known backend is probed in priority order; cpu and wasm pass their self-tests here', async () => {
    const probes = await probeAllBackends();
    expect(probes.map((probe) => probe.name)).toEqual(['tensorflow', 'webgpu', 'wasm', 'cpu']);
    expect(TFJS_BACKEND_PRIORITY).toEqual(['tensorflow', 'webgpu', 'wasm', 'cpu']);
    for (const probe of probes) expect(probe.reason.length, probe.name).toBeGreaterThan(0);
    expect(probes[2]).toMatchObject({ name: 'wasm', available: true });
    expect(probes[2].reason).toMatch(/SIMD (on|off)/);
    expect(probes[3]).toMatchObject({ name: 'cpu', available: true });
    // Cached: the same promise outcome object every time.
    expect(await probeBackend('cpu')).toBe(probes[3]);
  });

  test('tensorflow (the optional @tensorflow/tfjs-node, not installed here) is skipped with the import failure', async () => {
    const probe = await probeBackend('tensorflow');
    expect(probe.available).toBe(false);
    expect(probe.reason).toContain('@tensorflow/tfjs-node');
  });

  test('webgpu is available with a passing self-test, or skipped with a reason', async () => {
    const probe = await probeBackend('webgpu');
    if (expectWebGpu) {
      // CI installs Mesa 25 (llvmpipe): Dawn finds a software adapter and the matMul self-test passes.
      expect(probe.available, probe.reason).toBe(true);
      expect(probe.software).toBe(true);
      expect(probe.reason).toMatch(/software .*adapter/);
    } else if (!probe.available) {
      expect(probe.reason.trim().length).toBeGreaterThan(0);
      expect(probe.software).toBeUndefined();
    }
    const dawnLoaded = !probe.reason.startsWith('no WebGPU in this runtime');
    if (!xdgRuntimeDirAtStart && dawnLoaded && process.getuid) {
      // One stable private folder per user, not a fresh one per process (those used to pile up in the temp folder).
      expect(process.env.XDG_RUNTIME_DIR).toBe(join(tmpdir(), `trustrec-xdg-${process.getuid()}`));
    } else {
      expect(process.env.XDG_RUNTIME_DIR).toBe(xdgRuntimeDirAtStart);
    }
  });
});

describe('selectBackend precedence', () => {
  test('auto never throws, selects wasm here, and lists what was skipped and why', async () => {
    const webgpuProbe = await probeBackend('webgpu');
    // These machines and CI have no GPU, only (at most) a software adapter, so auto picks wasm. On a machine
    // with a hardware adapter that passes its self-test, auto rightly picks webgpu instead.
    const hardwareGpu = webgpuProbe.available && webgpuProbe.software !== true;
    const selection = await selectBackend('auto', { env: {} });
    expect(selection.source).toBe('default');
    expect(selection.scope).toBe('default');
    const [tensorflow, webgpu, wasm] = selection.attempts;
    expect(tensorflow.available).toBe(false);
    expect(tensorflow.reason).toContain('@tensorflow/tfjs-node');
    if (hardwareGpu) {
      expect(selection.name).toBe('webgpu');
      return;
    }
    expect(selection.name).toBe('wasm');
    expect(selection.tf.getBackend()).toBe('wasm');
    expect(selection.attempts.map((attempt) => attempt.name)).toEqual(['tensorflow', 'webgpu', 'wasm']);
    expect(webgpu.available).toBe(false); // no adapter, or a software adapter passed over for wasm
    expect(webgpu.reason.length).toBeGreaterThan(0);
    expect(wasm.available).toBe(true);
    // No preference at all means auto too.
    expect((await selectBackend(undefined, { env: {} })).name).toBe('wasm');
  });

  test('when a software WebGPU adapter exists, auto passes it over for wasm and says so; pinning webgpu uses it', async () => {
    const probe = await probeBackend('webgpu');
    if (!expectWebGpu && !(probe.available && probe.software)) {
      expect(probe.available && probe.software).toBeFalsy(); // nothing further to check on this machine
      return;
    }
    const auto = await selectBackend('auto', { env: {} });
    expect(auto.name).toBe('wasm');
    const webgpu = auto.attempts.find((attempt) => attempt.name === 'webgpu');
    expect(webgpu).toMatchObject({ available: false, software: true });
    expect(webgpu?.reason).toContain('auto prefers wasm over a software adapter');

    const pinned = await selectBackend('webgpu', { env: {} });
    expect(pinned.name).toBe('webgpu');
    expect(pinned.source).toBe('argument');
    expect(pinned.tf.getBackend()).toBe('webgpu');
    expect(pinned.attempts).toHaveLength(1);
    expect(pinned.attempts[0]).toMatchObject({ name: 'webgpu', available: true, software: true });
    // The pinned selection computes correctly (the self-test passed; check once more through the selection).
    const product = pinned.tf.matMul(
      pinned.tf.tensor2d([1, 2, 3, 4], [2, 2]),
      pinned.tf.tensor2d([5, 6, 7, 8], [2, 2]),
    );
    expect(Array.from(await product.data())).toEqual([19, 22, 43, 50]);
    product.dispose();
    // Also through the environment.
    expect((await selectBackend(undefined, { env: { TRUSTREC_BACKEND: 'webgpu' } })).name).toBe('webgpu');
  });

  test('an explicit preference beats both environment variables', async () => {
    const env = { TRUSTREC_BACKEND: 'wasm', TRUSTREC_BACKEND_MODELS: 'wasm' };
    const selection = await selectBackend('cpu', { scope: 'models', env });
    expect(selection.name).toBe('cpu');
    expect(selection.source).toBe('argument');
    expect(selection.tf.getBackend()).toBe('cpu');
    expect(selection.attempts.map((attempt) => attempt.name)).toEqual(['cpu']);
  });

  test("an explicit 'auto' argument is not a preference: it defers to the environment", async () => {
    const scoped = await selectBackend('auto', { scope: 'models', env: { TRUSTREC_BACKEND_MODELS: 'cpu' } });
    expect(scoped.name).toBe('cpu');
    expect(scoped.source).toBe('env:TRUSTREC_BACKEND_MODELS');
    const global = await selectBackend('auto', { scope: 'models', env: { TRUSTREC_BACKEND: 'cpu' } });
    expect(global.name).toBe('cpu');
    expect(global.source).toBe('env:TRUSTREC_BACKEND');
    const none = await selectBackend('auto', { scope: 'models', env: {} });
    expect(none.source).toBe('default');
  });

  test('TRUSTREC_BACKEND_<SCOPE> beats TRUSTREC_BACKEND, which beats the default', async () => {
    const env = { TRUSTREC_BACKEND: 'cpu', TRUSTREC_BACKEND_MODELS: 'wasm' };
    const scoped = await selectBackend(undefined, { scope: 'models', env });
    expect(scoped.name).toBe('wasm');
    expect(scoped.source).toBe('env:TRUSTREC_BACKEND_MODELS');
    expect(scoped.scope).toBe('models');
    const global = await selectBackend(undefined, { scope: 'metrics', env });
    expect(global.name).toBe('cpu');
    expect(global.source).toBe('env:TRUSTREC_BACKEND');
    // Scope names are upper-cased with non-alphanumerics as underscores.
    const dashed = await selectBackend('auto', { scope: 'privacy-dp', env: { TRUSTREC_BACKEND_PRIVACY_DP: 'cpu' } });
    expect(dashed.name).toBe('cpu');
    expect(dashed.source).toBe('env:TRUSTREC_BACKEND_PRIVACY_DP');
    // An empty or `auto` scoped value defers to the global one.
    const deferred = await selectBackend(undefined, {
      scope: 'models',
      env: { TRUSTREC_BACKEND_MODELS: ' auto ', TRUSTREC_BACKEND: 'cpu' },
    });
    expect(deferred.source).toBe('env:TRUSTREC_BACKEND');
    const blank = await selectBackend(undefined, {
      scope: 'models',
      env: { TRUSTREC_BACKEND_MODELS: '', TRUSTREC_BACKEND: '' },
    });
    expect(blank.source).toBe('default');
    expect(blank.name).toBe((await selectBackend('auto', { env: {} })).name);
  });

  test('an ordered list falls back in order and reports the skipped entries', async () => {
    const selection = await selectBackend(['tensorflow', 'cpu'], { env: {} });
    expect(selection.name).toBe('cpu');
    expect(selection.attempts.map((attempt) => [attempt.name, attempt.available])).toEqual([
      ['tensorflow', false],
      ['cpu', true],
    ]);
    const fromEnv = await selectBackend(undefined, { env: { TRUSTREC_BACKEND: 'tensorflow, wasm' } });
    expect(fromEnv.name).toBe('wasm');
    expect(fromEnv.source).toBe('env:TRUSTREC_BACKEND');
  });

  test('names are case- and space-insensitive, in the argument as in the environment', async () => {
    expect((await selectBackend(' CPU ' as BackendPreference, { env: {} })).name).toBe('cpu');
    expect((await selectBackend(undefined, { env: { TRUSTREC_BACKEND: ' Wasm ' } })).name).toBe('wasm');
  });
});

describe('selectBackend errors', () => {
  test('an unknown name is E_BACKEND naming the source, from the argument or the environment', async () => {
    const fromArgument = await expectBackendError(() => selectBackend('cuda' as BackendPreference, { env: {} }));
    expect(fromArgument.message).toContain('"cuda"');
    const fromEnv = await expectBackendError(() =>
      selectBackend(undefined, { scope: 'models', env: { TRUSTREC_BACKEND_MODELS: 'gpu' } }),
    );
    expect(fromEnv.message).toContain('TRUSTREC_BACKEND_MODELS');
    expect(fromEnv.message).toContain('"gpu"');
    await expectBackendError(() => selectBackend(['wasm', 'metal'] as unknown as BackendPreference, { env: {} }));
    await expectBackendError(() => selectBackend([] as unknown as BackendPreference, { env: {} }));
  });

  test('a pinned backend that is unavailable is E_BACKEND carrying the probe reason, never a silent fallback', async () => {
    const reason = (await probeBackend('tensorflow')).reason;
    const error = await expectBackendError(() => selectBackend('tensorflow', { env: {} }));
    expect(error.message).toContain(reason);
    expect(error.message).toContain('tensorflow');
    const fromEnv = await expectBackendError(() =>
      selectBackend(undefined, { env: { TRUSTREC_BACKEND: 'tensorflow' } }),
    );
    expect(fromEnv.message).toContain('env:TRUSTREC_BACKEND');
    expect(fromEnv.details).toMatchObject({ scope: 'default' });
  });
});

describe('createLinalgBackend', () => {
  test('typed-array needs no selection; a tfjs preference goes through selectBackend', async () => {
    const typed = await createLinalgBackend('typed-array');
    expect(typed.backend).toBeInstanceOf(TypedArrayBackend);
    expect(typed.selection).toBeUndefined();
    const cpu = await createLinalgBackend('cpu', { env: {} });
    expect(cpu.backend.name).toBe('tfjs-cpu');
    expect(cpu.selection?.name).toBe('cpu');
    const auto = await createLinalgBackend('auto', { env: {} });
    expect(auto.backend.name).toBe(`tfjs-${auto.selection?.name}`);
    expect(auto.selection?.name).toBe((await selectBackend('auto', { env: {} })).name);
    await expectBackendError(() => createLinalgBackend('tensorflow', { env: {} }));
  });
});
