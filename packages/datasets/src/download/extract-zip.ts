import { closeSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import path from 'node:path';
import { TrustRecError } from '@trustrec/core-linalg';
import { Unzip, UnzipInflate } from 'fflate';

/**
 * Streams a ZIP archive (fflate's streaming `Unzip`) into `target`, keeping only entries under `root` (the
 * archive's top folder, stripped) and refusing names that escape the target. Memory stays at one chunk plus
 * inflate state, so MovieLens-25M extracts without holding its 650 MB ratings file.
 */
export function extractZip(
  archive: string,
  target: string,
  options: { root?: string; onProgress?: (done: number) => void } = {},
): string[] {
  mkdirSync(target, { recursive: true });
  const written: string[] = [];
  const open = new Map<string, number>();
  let failure: unknown;
  const unzip = new Unzip((file) => {
    if (file.name.endsWith('/')) return;
    let relative = file.name;
    if (options.root) {
      if (!relative.startsWith(options.root)) return;
      relative = relative.slice(options.root.length);
    }
    const destination = path.resolve(target, relative);
    if (!destination.startsWith(path.resolve(target) + path.sep)) {
      failure = new TrustRecError({
        code: 'E_DOWNLOAD',
        message: `archive ${archive}: entry ${file.name} escapes the extraction folder; refusing to extract`,
      });
      return;
    }
    mkdirSync(path.dirname(destination), { recursive: true });
    const descriptor = openSync(destination, 'w');
    open.set(file.name, descriptor);
    written.push(relative);
    file.ondata = (error, data, final) => {
      if (error) {
        failure = error;
        return;
      }
      writeSync(descriptor, data);
      if (final) {
        closeSync(descriptor);
        open.delete(file.name);
      }
    };
    file.start();
  });
  unzip.register(UnzipInflate);
  const input = openSync(archive, 'r');
  const chunk = new Uint8Array(1 << 20);
  let done = 0;
  try {
    for (;;) {
      const read = readSync(input, chunk, 0, chunk.length, null);
      done += read;
      unzip.push(read === chunk.length ? chunk : chunk.slice(0, read), read === 0);
      if (failure) break;
      options.onProgress?.(done);
      if (read === 0) break;
    }
  } catch (cause) {
    failure = cause;
  } finally {
    closeSync(input);
    for (const descriptor of open.values()) closeSync(descriptor);
  }
  if (failure) {
    if (TrustRecError.isInstance(failure)) throw failure;
    throw new TrustRecError({
      code: 'E_DOWNLOAD',
      message: `archive ${archive} could not be extracted (${(failure as Error).message ?? String(failure)}); delete it and fetch again`,
      cause: failure,
    });
  }
  return written;
}
