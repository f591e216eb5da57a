import { expect, test } from 'vitest';
import { probeBackend } from './probe-backends.js';
import { selectBackend } from './select-backend.js';

// A WebGPU implementation that throws while looking for an adapter (a broken driver): the probe reports it,
// and `auto` still selects a working backend instead of throwing. Set before the first probe (probes are
// cached per process; this file runs in its own).
const globalScope = globalThis as { navigator?: { gpu?: unknown } };
const navigatorObject = globalScope.navigator ?? {};
navigatorObject.gpu = {
  requestAdapter: async () => {
    throw new Error('vkCreateInstance failed: VK_ERROR_INCOMPATIBLE_DRIVER\nsecond line');
  },
};
if (!globalScope.navigator)
  Object.defineProperty(globalThis, 'navigator', { value: navigatorObject, configurable: true });

test('a throwing WebGPU adapter request is a skipped probe with its first line as the reason; auto still works', async () => {
  const probe = await probeBackend('webgpu');
  expect(probe).toEqual({
    name: 'webgpu',
    available: false,
    reason: 'could not load: vkCreateInstance failed: VK_ERROR_INCOMPATIBLE_DRIVER',
  });
  const auto = await selectBackend('auto', { env: {} });
  expect(auto.name).toBe('wasm');
  expect(auto.attempts[1]).toEqual(probe);
});
