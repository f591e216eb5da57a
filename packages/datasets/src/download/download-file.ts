import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { mkdir, open, rename } from 'node:fs/promises';
import path from 'node:path';
import { TrustRecError, argumentError, rejectUnknownOptions } from '@trustrec/core-linalg';

export interface DownloadOptions {
  /**
   * Expected sha256: 64 hex digits (either case; anything else, the empty string included, is E_ARGUMENT before
   * any download). When absent the computed digest is returned for the caller to record.
   */
  readonly sha256?: string;
  readonly onProgress?: (done: number, total: number | undefined) => void;
  /** Injected fetch (tests, proxies); default the global fetch. */
  readonly fetch?: typeof fetch;
}

/** Hex sha256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Downloads `url` to `destination`, resumably: bytes go to `destination.part`, and a later call continues from
 * its size with an HTTP Range request (a server answering 200 instead of 206 restarts the file). The finished
 * file's sha256 is checked against `options.sha256` (mismatch → `E_DOWNLOAD`, the part file is kept out of the
 * way) and returned.
 */
export async function downloadFile(url: string, destination: string, options: DownloadOptions = {}): Promise<string> {
  rejectUnknownOptions('downloadFile', options, ['sha256', 'onProgress', 'fetch']);
  if (options.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(options.sha256)) {
    throw argumentError(
      'downloadFile',
      `sha256 must be 64 hexadecimal digits, got ${JSON.stringify(options.sha256)}; pass the archive's published sha256, or omit it to record the first download's digest`,
      { option: 'sha256' },
    );
  }
  await mkdir(path.dirname(destination), { recursive: true });
  const partial = `${destination}.part`;
  const have = existsSync(partial) ? statSync(partial).size : 0;
  const fetchImplementation = options.fetch ?? globalThis.fetch;
  let response: Response;
  try {
    response = await fetchImplementation(url, { headers: have > 0 ? { Range: `bytes=${have}-` } : {} });
  } catch (cause) {
    throw new TrustRecError({
      code: 'E_DOWNLOAD',
      message: `download of ${url} failed (${(cause as Error).message}); check the network, or put the files in the data folder by hand`,
      cause,
      details: { url },
    });
  }
  if (!(response.status === 200 || response.status === 206) || !response.body) {
    throw new TrustRecError({
      code: 'E_DOWNLOAD',
      message: `download of ${url} failed: HTTP ${response.status} ${response.statusText}`,
      details: { url, status: response.status },
    });
  }
  const resuming = response.status === 206 && have > 0;
  const length = Number(response.headers.get('content-length') ?? Number.NaN);
  const total = Number.isFinite(length) ? length + (resuming ? have : 0) : undefined;
  const handle = await open(partial, resuming ? 'a' : 'w');
  let done = resuming ? have : 0;
  try {
    const reader = response.body.getReader();
    for (;;) {
      const { value, done: finished } = await reader.read();
      if (finished) break;
      await handle.write(value);
      done += value.byteLength;
      options.onProgress?.(done, total);
    }
  } catch (cause) {
    throw new TrustRecError({
      code: 'E_DOWNLOAD',
      message: `download of ${url} was interrupted after ${done} bytes (${(cause as Error).message}); run again to resume`,
      cause,
      details: { url },
    });
  } finally {
    await handle.close();
  }
  if (total !== undefined && done !== total) {
    throw new TrustRecError({
      code: 'E_DOWNLOAD',
      message: `download of ${url} ended after ${done} of ${total} bytes; run again to resume`,
      details: { url },
    });
  }
  const digest = await sha256File(partial);
  if (options.sha256 && digest !== options.sha256.toLowerCase()) {
    await rename(partial, `${destination}.bad`);
    throw new TrustRecError({
      code: 'E_DOWNLOAD',
      message: `checksum mismatch for ${url}: sha256 ${digest}, expected ${options.sha256}; the file was moved to ${destination}.bad — the source may have changed or the transfer was corrupted`,
      details: { url, sha256: digest, expected: options.sha256 },
    });
  }
  await rename(partial, destination);
  return digest;
}
