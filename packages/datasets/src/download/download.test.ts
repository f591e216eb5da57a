import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TrustRecError } from '@trustrec/core-linalg';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadDataset } from '../registry/load-dataset.js';
import { downloadFile } from './download-file.js';
import { extractZip } from './extract-zip.js';

const encode = (text: string) => new TextEncoder().encode(text);
const archive = zipSync({
  'ml-100k/u.data': encode('1\t1\t5\t874965758\n1\t2\t3\t876893171\n2\t1\t4\t888550871\n'),
  'ml-100k/u.user': encode('1|24|M|technician|85711\n2|53|F|other|94043\n'),
  'ml-100k/README': encode('small test archive\n'),
  'elsewhere/ignored.txt': encode('not part of the dataset\n'),
});
const archiveSha = createHash('sha256').update(archive).digest('hex');

let server: Server;
let base = '';
const requests: { url: string; range?: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    requests.push({ url: request.url ?? '', range: request.headers.range });
    if (request.url !== '/ml-100k.zip') {
      response.writeHead(404).end('not found');
      return;
    }
    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    if (range) {
      const start = Number(range[1]);
      response.writeHead(206, {
        'content-length': archive.length - start,
        'content-range': `bytes ${start}-${archive.length - 1}/${archive.length}`,
      });
      response.end(Buffer.from(archive.subarray(start)));
      return;
    }
    response.writeHead(200, { 'content-length': archive.length });
    response.end(Buffer.from(archive));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const fresh = (label: string) => mkdtempSync(path.join(tmpdir(), `trustrec-download-${label}-`));

async function failure(promise: Promise<unknown>): Promise<TrustRecError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!TrustRecError.isInstance(error)) throw new Error(`expected a TrustRecError, got ${String(error)}`);
  return error;
}

describe('download, checksum, cache and extraction (local HTTP server on 127.0.0.1 only)', () => {
  test('download: true fetches, records the sha256, extracts the dataset folder only, then reuses it', async () => {
    const cacheDir = fresh('cache');
    const dataDir = fresh('empty');
    const before = requests.length;
    const dataset = await loadDataset('ml-100k', { dataDir, cacheDir, download: true, mirror: base, cache: false });
    expect([dataset.numUsers, dataset.numItems, dataset.interactions.nnz]).toEqual([2, 2, 3]);
    expect(requests.length - before).toBe(1);
    const recorded = JSON.parse(readFileSync(path.join(cacheDir, 'downloads', 'checksums.json'), 'utf8'));
    expect(recorded['ml-100k']).toBe(archiveSha);
    expect(existsSync(path.join(cacheDir, 'datasets', 'ml-100k', 'u.data'))).toBe(true);
    expect(existsSync(path.join(cacheDir, 'datasets', 'ml-100k', 'ignored.txt'))).toBe(false);
    const again = await loadDataset('ml-100k', { dataDir, cacheDir, mirror: base });
    expect(again.interactions.nnz).toBe(3);
    expect(requests.length - before).toBe(1);
  });

  test('offline and not cached: E_DATASET_MISSING; a recorded checksum that does not match: E_DOWNLOAD', async () => {
    const cacheDir = fresh('mismatch');
    const missing = await failure(loadDataset('ml-100k', { dataDir: fresh('empty'), cacheDir }));
    expect(missing.code).toBe('E_DATASET_MISSING');
    mkdirSync(path.join(cacheDir, 'downloads'), { recursive: true });
    writeFileSync(path.join(cacheDir, 'downloads', 'checksums.json'), JSON.stringify({ 'ml-100k': '0'.repeat(64) }));
    const mismatch = await failure(
      loadDataset('ml-100k', { dataDir: fresh('empty'), cacheDir, download: true, mirror: base }),
    );
    expect(mismatch.code).toBe('E_DOWNLOAD');
    expect(mismatch.message).toContain(`checksum mismatch`);
    expect(mismatch.message).toContain(archiveSha);
  });

  test('an interrupted download resumes with a Range request', async () => {
    const target = path.join(fresh('resume'), 'ml-100k.zip');
    writeFileSync(`${target}.part`, archive.subarray(0, 100));
    const before = requests.length;
    const digest = await downloadFile(`${base}/ml-100k.zip`, target, { sha256: archiveSha });
    expect(digest).toBe(archiveSha);
    expect(requests[before].range).toBe('bytes=100-');
    expect(readFileSync(target).equals(Buffer.from(archive))).toBe(true);
  });

  test('HTTP errors are E_DOWNLOAD; archive entries escaping the folder are refused', async () => {
    const notFound = await failure(downloadFile(`${base}/nothing.zip`, path.join(fresh('404'), 'x.zip')));
    expect(notFound.message).toContain('HTTP 404');
    const directory = fresh('evil');
    const evil = path.join(directory, 'evil.zip');
    writeFileSync(evil, zipSync({ '../escape.txt': encode('x') }));
    expect(() => extractZip(evil, path.join(directory, 'out'))).toThrowError(/escapes the extraction folder/);
  });
});

describe('download and load options are checked before any work', () => {
  test('downloadFile: a sha256 that is not 64 hex digits (the empty string included) is E_ARGUMENT, nothing fetched', async () => {
    for (const sha256 of ['', `sha256:${archiveSha}`, archiveSha.slice(1)]) {
      const before = requests.length;
      const target = path.join(fresh('sha'), 'ml-100k.zip');
      const error = await failure(downloadFile(`${base}/ml-100k.zip`, target, { sha256 }));
      expect(error.code).toBe('E_ARGUMENT');
      expect(error.message).toContain('downloadFile: sha256 must be 64 hexadecimal digits');
      expect(requests.length).toBe(before);
      expect(existsSync(target)).toBe(false);
    }
    // Upper-case hex is still accepted.
    const digest = await downloadFile(`${base}/ml-100k.zip`, path.join(fresh('upper'), 'ml-100k.zip'), {
      sha256: archiveSha.toUpperCase(),
    });
    expect(digest).toBe(archiveSha);
  });

  test('misspelt option names of downloadFile and loadDataset are E_CONFIG', async () => {
    const loose = <T>(options: Record<string, unknown>) => options as unknown as T;
    const download = await failure(
      downloadFile(`${base}/ml-100k.zip`, path.join(fresh('opt'), 'x.zip'), loose({ sha: archiveSha })),
    );
    expect(download.code).toBe('E_CONFIG');
    expect(download.message).toContain("downloadFile: option 'sha' must be one of the known options");
    const load = await failure(
      loadDataset('ml-100k', loose({ dataDir: fresh('empty'), cacheDir: fresh('opt-cache'), downlaod: true })),
    );
    expect(load.code).toBe('E_CONFIG');
    expect(load.message).toContain("loadDataset: option 'downlaod' must be one of the known options");
  });
});
