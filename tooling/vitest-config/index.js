import { defineConfig } from 'vitest/config';

/**
 * The shared vitest preset: colocated `src/**\/*.test.ts`, node environment, deterministic order,
 * and a generous per-test timeout for the tests that read real datasets on a 2-core machine.
 *
 * @param {{ testTimeout?: number, include?: string[] }} [overrides]
 */
export function createVitestConfig(overrides = {}) {
  return defineConfig({
    test: {
      include: overrides.include ?? ['src/**/*.test.ts', 'test/**/*.test.ts'],
      environment: 'node',
      testTimeout: overrides.testTimeout ?? 60_000,
      hookTimeout: 120_000,
      sequence: { shuffle: false },
      pool: 'forks',
      reporters: process.env.CI ? ['default'] : ['default'],
    },
  });
}
