import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Path of a fixture in the `__fixtures__` folder beside the calling test file's folder. */
export function fixturePath(testFileUrl: string, name: string): string {
  return path.join(path.dirname(new URL(testFileUrl).pathname), '__fixtures__', name);
}

/** Reads a fixture as UTF-8 text. */
export function readFixture(testFileUrl: string, name: string): string {
  return readFileSync(fixturePath(testFileUrl, name), 'utf8');
}
