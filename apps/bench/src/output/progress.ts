import cliProgress from 'cli-progress';

/** Progress of long work: `update(done)` and `finish()`; a no-op when not shown. */
export interface ProgressReporter {
  update(done: number, status?: string): void;
  finish(): void;
}

const SILENT: ProgressReporter = { update() {}, finish() {} };

/**
 * A progress bar on stderr for long work. Quiet when stderr is not a terminal, with `--json`, or when
 * `TRUSTREC_PROGRESS=0`, so logs and machine-readable output stay clean.
 */
export function createProgress(label: string, total: number, options: { json?: boolean } = {}): ProgressReporter {
  const enabled = process.stderr.isTTY === true && !options.json && process.env.TRUSTREC_PROGRESS !== '0';
  if (!enabled) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total} | eta {eta_formatted} {status}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { status: '' });
  return {
    update(done, status = '') {
      bar.update(done, { status });
    },
    finish() {
      bar.stop();
    },
  };
}
