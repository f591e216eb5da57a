import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'vitest';

/**
 * The folder holding real datasets: `TRUSTREC_DATA_DIR`, else `../shared/datasets` beside the repository
 * (the layout of the project's machines and CI). Returns undefined when neither exists.
 */
export function dataDirectory(): string | undefined {
  const fromEnvironment = process.env.TRUSTREC_DATA_DIR;
  if (fromEnvironment) return existsSync(fromEnvironment) ? path.resolve(fromEnvironment) : undefined;
  const repositoryRoot = path.resolve(import.meta.dirname, '../../..');
  const beside = path.resolve(repositoryRoot, '../shared/datasets');
  return existsSync(beside) ? beside : undefined;
}

/** Absolute path of a file inside the data directory, or undefined when the file is absent. */
export function datasetPath(...segments: string[]): string | undefined {
  const root = dataDirectory();
  if (!root) return undefined;
  const candidate = path.join(root, ...segments);
  return existsSync(candidate) ? candidate : undefined;
}

/**
 * A suite that needs real data. When the files are absent it is skipped, and the skip reason is visible
 * in the test report (the suite title says which files and how to provide them).
 */
export function describeWithData(title: string, requiredFiles: string[], suite: (dataDir: string) => void): void {
  const root = dataDirectory();
  const missing = requiredFiles.filter((file) => !root || !existsSync(path.join(root, file)));
  if (!root || missing.length > 0) {
    const reason = `missing ${missing.join(', ')}; set TRUSTREC_DATA_DIR to the datasets folder`;
    describe(title, () => {
      test.skipIf(true)(`skipped: ${reason}`, () => {});
    });
    return;
  }
  describe(title, () => suite(root));
}
