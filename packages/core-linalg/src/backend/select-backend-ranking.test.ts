import { beforeEach, describe, expect, test, vi } from 'vitest';
import { TrustRecError } from '../errors/trust-rec-error.js';
import type { BackendProbe, TfjsBackendName } from './probe-backends.js';
import { selectBackend } from './select-backend.js';

// The ranking logic of selectBackend on canned probe outcomes, for machines this suite cannot reproduce
// (a hardware GPU, a failing wasm). probeBackend and the tfjs module are replaced; the rest is real.
const state = vi.hoisted(() => ({
  probes: new Map<string, { name: string; available: boolean; reason: string; software?: boolean }>(),
  active: 'none',
  setBackendCalls: [] as string[],
}));

vi.mock('./probe-backends.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./probe-backends.js')>();
  return { ...actual, probeBackend: async (name: string) => state.probes.get(name) };
});

vi.mock('./tfjs-module.js', () => ({
  loadTfjsCore: async () => ({
    getBackend: () => state.active,
    setBackend: async (name: string) => {
      state.setBackendCalls.push(name);
      state.active = name;
      return true;
    },
  }),
  importOptional: async () => {
    throw new Error('not used');
  },
}));

function setProbes(...probes: BackendProbe[]): void {
  state.probes.clear();
  for (const probe of probes) state.probes.set(probe.name, probe);
}

const skipped = (name: TfjsBackendName, reason: string): BackendProbe => ({ name, available: false, reason });
const ok = (name: TfjsBackendName, reason: string, software?: boolean): BackendProbe =>
  software ? { name, available: true, reason, software } : { name, available: true, reason };

beforeEach(() => {
  state.active = 'none';
  state.setBackendCalls.length = 0;
});

describe('selectBackend ranking (canned probes)', () => {
  test('a hardware WebGPU adapter wins auto over wasm', async () => {
    setProbes(
      skipped('tensorflow', 'not installed'),
      ok('webgpu', 'WebGPU adapter: nvidia'),
      ok('wasm', 'SIMD on'),
      ok('cpu', 'js'),
    );
    const selection = await selectBackend('auto', { env: {} });
    expect(selection.name).toBe('webgpu');
    expect(selection.attempts.map((attempt) => attempt.name)).toEqual(['tensorflow', 'webgpu']);
    expect(state.setBackendCalls).toEqual(['webgpu']);
  });

  test('a software adapter is passed over for wasm, with the reason in attempts', async () => {
    setProbes(
      skipped('tensorflow', 'not installed'),
      ok('webgpu', 'WebGPU software adapter: llvmpipe', true),
      ok('wasm', 'SIMD on'),
      ok('cpu', 'js'),
    );
    const selection = await selectBackend('auto', { env: {} });
    expect(selection.name).toBe('wasm');
    expect(selection.attempts[1]).toMatchObject({ name: 'webgpu', available: false, software: true });
    expect(selection.attempts[1].reason).toContain('llvmpipe');
    expect(selection.attempts[1].reason).toContain('auto prefers wasm over a software adapter');
    expect(state.setBackendCalls).toEqual(['wasm']);
  });

  test('a software adapter still beats cpu when wasm fails, and is reported as the choice', async () => {
    setProbes(
      skipped('tensorflow', 'not installed'),
      ok('webgpu', 'software adapter', true),
      skipped('wasm', 'could not load'),
      ok('cpu', 'js'),
    );
    const selection = await selectBackend('auto', { env: {} });
    expect(selection.name).toBe('webgpu');
    expect(selection.attempts.map((attempt) => [attempt.name, attempt.available])).toEqual([
      ['tensorflow', false],
      ['webgpu', true],
      ['wasm', false],
    ]);
    expect(selection.attempts[1].reason).toContain('chosen by auto');
  });

  test('a pinned software adapter or an ordered list uses it directly', async () => {
    setProbes(
      skipped('tensorflow', 'not installed'),
      ok('webgpu', 'software adapter', true),
      ok('wasm', 'SIMD on'),
      ok('cpu', 'js'),
    );
    expect((await selectBackend('webgpu', { env: {} })).name).toBe('webgpu');
    expect((await selectBackend(['webgpu', 'wasm'], { env: {} })).name).toBe('webgpu');
  });

  test('when nothing is usable, E_BACKEND lists every attempt with its reason', async () => {
    setProbes(
      skipped('tensorflow', 'no native'),
      skipped('webgpu', 'no adapter'),
      skipped('wasm', 'no wasm'),
      skipped('cpu', 'no cpu'),
    );
    let caught: unknown;
    try {
      await selectBackend('auto', { env: {} });
    } catch (error) {
      caught = error;
    }
    expect(TrustRecError.isInstance(caught, 'E_BACKEND')).toBe(true);
    const message = (caught as Error).message;
    for (const part of ['tensorflow: no native', 'webgpu: no adapter', 'wasm: no wasm', 'cpu: no cpu'])
      expect(message).toContain(part);
    expect(state.setBackendCalls).toEqual([]);
  });

  test('the active backend is not switched again when it is already the chosen one', async () => {
    setProbes(
      skipped('tensorflow', 'not installed'),
      skipped('webgpu', 'no adapter'),
      ok('wasm', 'SIMD on'),
      ok('cpu', 'js'),
    );
    state.active = 'wasm';
    expect((await selectBackend('auto', { env: {} })).name).toBe('wasm');
    expect(state.setBackendCalls).toEqual([]);
  });
});
