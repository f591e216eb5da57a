import type { UserConfig } from 'vitest/config';
export declare function createVitestConfig(overrides?: { testTimeout?: number; include?: string[] }): UserConfig;
