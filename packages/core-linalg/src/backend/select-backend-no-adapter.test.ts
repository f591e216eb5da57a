import { expect, test } from 'vitest';
import { TrustRecError } from '../errors/trust-rec-error.js';
import { probeBackend } from './probe-backends.js';
import { selectBackend } from './select-backend.js';

// selectBackend without a WebGPU adapter, on any machine: a `navigator.gpu` whose requestAdapter() finds
// nothing (what Dawn reports without Vulkan drivers). Set before the first probe; probes are cached per
// process and this file runs in its own.
const globalScope = globalThis as { navigator?: { gpu?: unknown } };
const navigatorObject = globalScope.navigator ?? {};
navigatorObject.gpu = { requestAdapter: async () => null };
if (!globalScope.navigator)
  Object.defineProperty(globalThis, 'navigator', { value: navigatorObject, configurable: true });

test('no adapter: webgpu is skipped with the reason, auto selects wasm, pinned webgpu is E_BACKEND', async () => {
  const probe = await probeBackend('webgpu');
  expect(probe.available).toBe(false);
  expect(probe.reason).toContain('no WebGPU adapter found');

  const auto = await selectBackend('auto', { env: {} });
  expect(auto.name).toBe('wasm');
  expect(auto.attempts.find((attempt) => attempt.name === 'webgpu')).toEqual(probe);

  let caught: unknown;
  try {
    await selectBackend('webgpu', { env: {} });
  } catch (error) {
    caught = error;
  }
  expect(TrustRecError.isInstance(caught, 'E_BACKEND')).toBe(true);
  expect((caught as Error).message).toContain('no WebGPU adapter found');

  const fallback = await selectBackend(['webgpu', 'cpu'], { env: {} });
  expect(fallback.name).toBe('cpu');
  expect(fallback.attempts.map((attempt) => attempt.name)).toEqual(['webgpu', 'cpu']);
});
