import { createWriteStream, existsSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRng } from '@trustrec/core-linalg';
import { loadDataset, loadMovieLensCsv } from '@trustrec/datasets';
import { benchEnvironmentInteger } from './bench-arguments.js';
import { printFigure } from './timing.js';

const MIB = 1024 * 1024;

/** Runs `work` while sampling heap + array buffers every 5 ms; returns its time and the peak growth. */
async function measured<T>(
  work: () => Promise<T>,
): Promise<{ value: T; milliseconds: number; peakMiB: number; peakRssMiB: number }> {
  const rssBefore = process.resourceUsage().maxRSS;
  const used = () => {
    const memory = process.memoryUsage();
    return memory.heapUsed + memory.arrayBuffers;
  };
  const baseline = used();
  let peak = baseline;
  const timer = setInterval(() => {
    peak = Math.max(peak, used());
  }, 5);
  const started = performance.now();
  const value = await work();
  const milliseconds = performance.now() - started;
  clearInterval(timer);
  peak = Math.max(peak, used());
  // maxRSS (KiB) is the process-wide peak: its growth is exact when this phase sets a new peak, a lower bound otherwise.
  return {
    value,
    milliseconds,
    peakMiB: (peak - baseline) / MIB,
    peakRssMiB: (process.resourceUsage().maxRSS - rssBefore) / 1024,
  };
}

/** Writes a MovieLens-25M-format ratings.csv with `rows` seeded rows (reused when already there). */
async function generatedRatings(rows: number): Promise<string> {
  const directory = path.join(tmpdir(), `trustrec-bench-ratings-${rows}`);
  const file = path.join(directory, 'ratings.csv');
  if (existsSync(path.join(directory, '.complete'))) return directory;
  mkdirSync(directory, { recursive: true });
  const rng = createRng(2026);
  const stream = createWriteStream(file);
  const write = (text: string) =>
    stream.write(text) ? Promise.resolve() : new Promise<void>((resolve) => stream.once('drain', () => resolve()));
  await write('userId,movieId,rating,timestamp\n');
  const users = Math.max(1, Math.round(rows / 150));
  const items = 60_000;
  let written = 0;
  let lines: string[] = [];
  for (let user = 1; user <= users && written < rows; user++) {
    const count = user === users ? rows - written : Math.min(rows - written, 150);
    const seen = new Set<number>();
    for (let t = 0; t < count; t++) {
      let item = 1 + Math.floor(items * rng.nextFloat() ** 2);
      while (seen.has(item)) item = 1 + rng.nextInt(items);
      seen.add(item);
      lines.push(`${user},${item},${(1 + rng.nextInt(10)) / 2},${1_100_000_000 + rng.nextInt(500_000_000)}`);
    }
    written += count;
    if (lines.length >= 50_000) {
      await write(`${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length > 0) await write(`${lines.join('\n')}\n`);
  await new Promise<void>((resolve) => stream.end(() => resolve()));
  createWriteStream(path.join(directory, '.complete')).end('');
  return directory;
}

/**
 * `pnpm bench datasets`: load time and peak memory growth (heap + array buffers) for ML-1M from text and from the
 * parsed-dataset cache, and for a generated 20M-row ratings.csv streamed through the MovieLens-25M loader
 * (rows: TRUSTREC_BENCH_ROWS, default 20,000,000). One run each: load times, not a loop.
 */
export async function benchmarkDatasets(): Promise<void> {
  process.stdout.write('# datasets: load time and peak memory growth (heap + array buffers), one run each\n');
  const dataDir = process.env.TRUSTREC_DATA_DIR;
  if (dataDir && existsSync(path.join(dataDir, 'ml-1m'))) {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'trustrec-bench-cache-'));
    const text = await measured(() => loadDataset('ml-1m', { dataDir, cacheDir }));
    printFigure(
      `ML-1M from text (${text.value.interactions.nnz.toLocaleString('en-US')} rows, + cache write)`,
      `${text.milliseconds.toFixed(0)} ms, peak +${text.peakMiB.toFixed(0)} MiB (RSS peak +${text.peakRssMiB.toFixed(0)} MiB)`,
    );
    const cached = await measured(() => loadDataset('ml-1m', { dataDir, cacheDir }));
    printFigure(
      `ML-1M from the parsed-dataset cache (fromCache ${cached.value.loadReport.fromCache})`,
      `${cached.milliseconds.toFixed(0)} ms, peak +${cached.peakMiB.toFixed(0)} MiB`,
    );
  } else {
    printFigure('ML-1M', 'skipped: set TRUSTREC_DATA_DIR to the datasets folder');
  }
  const rows = benchEnvironmentInteger('TRUSTREC_BENCH_ROWS', 20_000_000, 1);
  const generation = await measured(() => generatedRatings(rows));
  const directory = generation.value;
  const bytes = statSync(path.join(directory, 'ratings.csv')).size;
  printFigure(
    `generated ratings.csv (${rows.toLocaleString('en-US')} rows, ${(bytes / MIB).toFixed(0)} MiB)`,
    `${generation.milliseconds.toFixed(0)} ms (reused when present)`,
  );
  const streamed = await measured(() => loadMovieLensCsv('ml-25m', directory));
  const dataset = streamed.value;
  const resident =
    (dataset.interactions.indptr.byteLength +
      dataset.interactions.indices.byteLength +
      dataset.interactions.values.byteLength +
      (dataset.timestamps?.byteLength ?? 0)) /
    MIB;
  printFigure(
    `streamed ${dataset.interactions.nnz.toLocaleString('en-US')} rows (${dataset.numUsers} users × ${dataset.numItems} items)`,
    `${streamed.milliseconds.toFixed(0)} ms, ${(((rows / streamed.milliseconds) * 1000) / 1e6).toFixed(2)} M rows/s`,
  );
  printFigure(
    '  memory: sampled heap+buffers peak / peak-RSS growth / loaded arrays',
    `+${streamed.peakMiB.toFixed(0)} / +${streamed.peakRssMiB.toFixed(0)} / ${resident.toFixed(0)} MiB`,
  );
  printFigure('  process peak RSS so far', `${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
}
