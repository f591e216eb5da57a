import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { forEachLineOfFile, forEachLineOfText } from './line-reader.js';

describe('line readers', () => {
  test('text: CRLF stripped, blank lines counted not passed, BOM removed, numbering kept', () => {
    const seen: [string, number][] = [];
    const stats = forEachLineOfText('\ufeffa\r\n\r\nb\n  \nc', (line, number) => seen.push([line, number]));
    expect(seen).toEqual([
      ['a', 1],
      ['b', 3],
      ['c', 5],
    ]);
    expect(stats).toMatchObject({ lines: 5, blankLines: 2 });
  });

  test('file: lines crossing 4 MiB chunk boundaries arrive whole, numbered, with the sha256 of the bytes', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'trustrec-lines-'));
    const file = path.join(directory, 'big.txt');
    const lines = Array.from({ length: 300_000 }, (_, index) => `${index}\t${'é'.repeat(index % 13)}\t${index * 7}`);
    writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    let count = 0;
    let broken = 0;
    const stats = await forEachLineOfFile(file, 'big.txt', 'utf-8', (line, number) => {
      if (line !== lines[number - 1]) broken++;
      count++;
    });
    expect(broken).toBe(0);
    expect(count).toBe(300_000);
    expect(stats.bytes).toBeGreaterThan(4 * 1024 * 1024);
    expect(stats.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  test('file: invalid UTF-8 after the first chunk names the right line', async () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'trustrec-lines-'));
    const file = path.join(directory, 'bad.txt');
    const good = Buffer.from(`${Array.from({ length: 250_000 }, (_, index) => `line ${index} padding`).join('\n')}\n`);
    writeFileSync(file, Buffer.concat([good, Buffer.from([0x61, 0xff, 0x0a])]));
    await expect(forEachLineOfFile(file, 'bad.txt', 'utf-8', () => {})).rejects.toThrowError(
      /^bad\.txt:250001: field "line": the line is not valid UTF-8/,
    );
  });
});
