import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { privateRuntimeDir } from './runtime-dir.js';

// Each test works in its own parent folder, so nothing here touches the real `<tmpdir>/trustrec-xdg-<uid>`.
const uid = process.getuid?.();
let parent = '';
let cleanups: (() => void)[] = [];
const collect = (cleanup: () => void): void => {
  cleanups.push(cleanup);
};

beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'trustrec-runtime-dir-test-'));
  cleanups = [];
});

afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  rmSync(parent, { recursive: true, force: true });
});

function mode(path: string): number {
  return lstatSync(path).mode & 0o777;
}

describe.skipIf(uid === undefined)('privateRuntimeDir (POSIX)', () => {
  const owner = uid as number;

  test('creates one stable per-user folder with mode 0700 and returns the same path every time', async () => {
    const first = await privateRuntimeDir({ parent, uid: owner, onExit: collect });
    expect(first).toEqual({ path: join(parent, `trustrec-xdg-${owner}`), kind: 'stable' });
    expect(lstatSync(first.path).isDirectory()).toBe(true);
    expect(mode(first.path)).toBe(0o700);
    const second = await privateRuntimeDir({ parent, uid: owner, onExit: collect });
    expect(second).toEqual(first);
    // Nothing else was created and nothing is scheduled for removal: repeated processes do not pile up folders.
    expect(cleanups).toHaveLength(0);
    expect(existsSync(first.path)).toBe(true);
  });

  test('a folder other users can open is refused for a fresh 0700 folder that is removed at exit', async () => {
    const stable = join(parent, `trustrec-xdg-${owner}`);
    mkdirSync(stable);
    chmodSync(stable, 0o755);
    const result = await privateRuntimeDir({ parent, uid: owner, onExit: collect });
    expect(result.kind).toBe('temporary');
    expect(result.reason).toBe(`${stable} has mode 755, not 700`);
    expect(result.path).not.toBe(stable);
    expect(result.path.startsWith(join(parent, 'trustrec-xdg-'))).toBe(true);
    expect(mode(result.path)).toBe(0o700);
    expect(mode(stable)).toBe(0o755); // the refused folder is left as it was
    expect(cleanups).toHaveLength(1);
    cleanups[0]();
    expect(existsSync(result.path)).toBe(false);
    expect(existsSync(stable)).toBe(true);
  });

  test('a symbolic link is refused even when it points to a private folder of this user', async () => {
    const target = join(parent, 'elsewhere');
    mkdirSync(target, { mode: 0o700 });
    chmodSync(target, 0o700);
    const stable = join(parent, `trustrec-xdg-${owner}`);
    symlinkSync(target, stable);
    const result = await privateRuntimeDir({ parent, uid: owner, onExit: collect });
    expect(result.kind).toBe('temporary');
    expect(result.reason).toBe(`${stable} is a symbolic link`);
    expect(result.path).not.toBe(stable);
    expect(result.path).not.toBe(target);
    expect(cleanups).toHaveLength(1);
  });

  test('a file in its place is refused', async () => {
    const stable = join(parent, `trustrec-xdg-${owner}`);
    writeFileSync(stable, '');
    const result = await privateRuntimeDir({ parent, uid: owner, onExit: collect });
    expect(result.kind).toBe('temporary');
    expect(result.reason).toBe(`${stable} is not a directory`);
  });

  test("a folder owned by someone else is refused (here: the uid asked for is not the folder's owner)", async () => {
    const other = owner + 1;
    const stable = join(parent, `trustrec-xdg-${other}`);
    mkdirSync(stable, { mode: 0o700 });
    chmodSync(stable, 0o700);
    const result = await privateRuntimeDir({ parent, uid: other, onExit: collect });
    expect(result.kind).toBe('temporary');
    expect(result.reason).toBe(`${stable} is owned by uid ${owner}, not ${other}`);
  });
});

test('without a user id (Windows) a fresh folder is used and removed at exit', async () => {
  // An absent uid option means process.getuid(), which Windows lacks: remove it for the duration of the test.
  const getuid = process.getuid;
  Object.defineProperty(process, 'getuid', { value: undefined, configurable: true, writable: true });
  try {
    const result = await privateRuntimeDir({ parent, onExit: collect });
    expect(result.kind).toBe('temporary');
    expect(result.reason).toBe('no user id on this platform');
    expect(existsSync(result.path)).toBe(true);
    cleanups[0]();
    expect(existsSync(result.path)).toBe(false);
  } finally {
    Object.defineProperty(process, 'getuid', { value: getuid, configurable: true, writable: true });
  }
});
