/** Runs `work` once to warm up, then `repeats` times; returns the median milliseconds. */
export async function medianMilliseconds(work: () => unknown | Promise<unknown>, repeats = 5): Promise<number> {
  await work();
  const times: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Prints one aligned benchmark line. */
export function printFigure(label: string, value: string): void {
  process.stdout.write(`${label.padEnd(58)} ${value}\n`);
}
