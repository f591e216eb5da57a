import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BACKEND_SCOPES, type EnvReport } from './env-command.js';
import { parseJsonOutput, runTrustrec } from './run-cli.test-helper.js';

/** Every backend override variable unset, so the report shows the default order whatever the shell exported. */
const NO_OVERRIDES: Record<string, undefined> = Object.fromEntries(
  [
    'TRUSTREC_BACKEND',
    ...BACKEND_SCOPES.map((scope) => `TRUSTREC_BACKEND_${scope.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`),
  ].map((key) => [key, undefined]),
);

const repoFile = (relative: string) => new URL(`../../../../${relative}`, import.meta.url);
const versionOf = (packageJson: string) =>
  (JSON.parse(readFileSync(repoFile(packageJson), 'utf8')) as { version: string }).version;

async function envReport(env: Record<string, string | undefined> = {}): Promise<EnvReport> {
  const run = await runTrustrec(['env', '--json'], { ...NO_OVERRIDES, ...env });
  expect(run.code, run.stderr).toBe(0);
  return parseJsonOutput<EnvReport>(run);
}

const expectWebGpu = process.env.TRUSTREC_EXPECT_WEBGPU === '1';

describe('trustrec env --json', () => {
  it('reports the Node version and the installed package versions', async () => {
    const report = await envReport();
    expect(report.node).toBe(process.version);
    expect(Number(/^v(\d+)\./.exec(report.node)?.[1])).toBeGreaterThanOrEqual(20);
    expect(report.platform).toBe(`${process.platform}-${process.arch}`);
    expect(report.packages).toEqual({
      '@trustrec/core-linalg': versionOf('packages/core-linalg/package.json'),
      '@trustrec/datasets': versionOf('packages/datasets/package.json'),
      '@trustrec/metrics': versionOf('packages/metrics/package.json'),
      '@trustrec/models': versionOf('packages/models/package.json'),
      '@trustrec/privacy-dp': versionOf('packages/privacy-dp/package.json'),
      '@tensorflow/tfjs-core': (
        JSON.parse(readFileSync(repoFile('apps/bench/package.json'), 'utf8')) as {
          dependencies: Record<string, string>;
        }
      ).dependencies['@tensorflow/tfjs-core'],
    });
  });

  it('selects wasm in every scope by default, passing over tensorflow (not installed) with a reason', async () => {
    const report = await envReport();
    expect(report.backends.map((probe) => probe.name)).toEqual(['tensorflow', 'webgpu', 'wasm', 'cpu']);
    const byName = Object.fromEntries(report.backends.map((probe) => [probe.name, probe]));
    expect(byName.tensorflow.available).toBe(false);
    expect(byName.tensorflow.reason).toMatch(/@tensorflow\/tfjs-node/);
    expect(byName.wasm.available).toBe(true);
    expect(byName.wasm.reason).toMatch(/^SIMD (on|off), /);
    expect(byName.cpu.available).toBe(true);
    expect(report.scopes.map((scope) => scope.scope)).toEqual([...BACKEND_SCOPES]);
    for (const scope of report.scopes) {
      expect(scope, scope.scope).toMatchObject({ selected: 'wasm', source: 'default' });
      // Everything ranked above wasm (webgpu: absent, or a software adapter) was passed over with its reason.
      expect(scope.skipped.map((skipped) => skipped.name)).toEqual(['tensorflow', 'webgpu']);
      for (const skipped of scope.skipped)
        expect(skipped.reason.trim(), `${scope.scope}: ${skipped.name}`).not.toBe('');
      expect(scope.skipped[0].reason).toBe(byName.tensorflow.reason);
    }
  });

  it.runIf(expectWebGpu)(
    'with TRUSTREC_EXPECT_WEBGPU=1 (CI, Mesa 25): webgpu is a software adapter that auto passes over for wasm',
    async () => {
      const report = await envReport();
      const webgpu = report.backends.find((probe) => probe.name === 'webgpu');
      expect(webgpu).toMatchObject({ available: true, software: true });
      expect(webgpu?.reason).toMatch(/software \(fallback\) adapter/);
      for (const scope of report.scopes) {
        expect(scope.selected, scope.scope).toBe('wasm');
        const skipped = scope.skipped.find((entry) => entry.name === 'webgpu');
        expect(skipped?.reason, scope.scope).toMatch(
          /software \(fallback\) adapter.*auto prefers wasm over a software adapter/,
        );
      }
    },
  );

  it.runIf(expectWebGpu)(
    'with TRUSTREC_EXPECT_WEBGPU=1: pinning webgpu for one scope selects it there only',
    async () => {
      const report = await envReport({ TRUSTREC_BACKEND_ATTACKS: 'webgpu' });
      for (const scope of report.scopes) {
        if (scope.scope === 'attacks')
          expect(scope).toEqual({
            scope: 'attacks',
            selected: 'webgpu',
            source: 'env:TRUSTREC_BACKEND_ATTACKS',
            skipped: [],
          });
        else expect(scope, scope.scope).toMatchObject({ selected: 'wasm', source: 'default' });
      }
    },
  );

  it('TRUSTREC_BACKEND_MODELS=cpu changes the models scope and no other', async () => {
    const baseline = await envReport();
    const report = await envReport({ TRUSTREC_BACKEND_MODELS: 'cpu' });
    expect(report.scopes.find((scope) => scope.scope === 'models')).toEqual({
      scope: 'models',
      selected: 'cpu',
      source: 'env:TRUSTREC_BACKEND_MODELS',
      skipped: [],
    });
    expect(report.scopes.filter((scope) => scope.scope !== 'models')).toEqual(
      baseline.scopes.filter((scope) => scope.scope !== 'models'),
    );
    expect(report.backends).toEqual(baseline.backends);
  });

  it('an unknown backend name in a scope variable fails, naming the variable and the valid names', async () => {
    const run = await runTrustrec(['env', '--json'], { ...NO_OVERRIDES, TRUSTREC_BACKEND_MODELS: 'gpu' });
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /\[E_BACKEND\] TRUSTREC_BACKEND_MODELS: unknown backend "gpu"; use auto or one of tensorflow, webgpu, wasm, cpu/,
    );
  });

  it('without --json prints the package, backend and scope tables', async () => {
    const run = await runTrustrec(['env'], NO_OVERRIDES);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`node ${process.version} (${process.platform}-${process.arch})`);
    for (const scope of BACKEND_SCOPES) expect(run.stdout).toMatch(new RegExp(`^${scope}\\s+wasm\\s+default$`, 'm'));
    expect(run.stdout).toMatch(/^tensorflow\s+no\s+could not load/m);
  });
});
