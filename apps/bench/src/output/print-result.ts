/** The options every subcommand shares. */
export interface OutputOptions {
  /** Print the machine-readable result object as JSON on stdout, and nothing else there. */
  json?: boolean;
}

/**
 * The shared output convention: with `--json`, exactly one JSON document on stdout (progress and warnings go to
 * stderr); otherwise the human rendering.
 */
export function printResult<T>(result: T, options: OutputOptions, renderHuman: (result: T) => string): void {
  if (options.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else process.stdout.write(`${renderHuman(result)}\n`);
}

/** Renders rows as an aligned text table. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
