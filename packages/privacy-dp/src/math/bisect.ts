/**
 * Bisection on a monotone predicate: given `lower` where `predicate` is false and `upper` where it is true,
 * returns the bracket [lower, upper] shrunk until its relative width is below `relativeTolerance` (or
 * `maxIterations` halvings). The returned `upper` always satisfies the predicate — calibrations use it as the
 * conservative answer. With `geometric: true` the midpoint is √(lower·upper) (for positive scale parameters that
 * span orders of magnitude).
 */
export function bisect(
  predicate: (x: number) => boolean,
  lower: number,
  upper: number,
  options: { relativeTolerance?: number; maxIterations?: number; geometric?: boolean } = {},
): { lower: number; upper: number; iterations: number } {
  const relativeTolerance = options.relativeTolerance ?? 1e-12;
  const maxIterations = options.maxIterations ?? 200;
  let iterations = 0;
  while (iterations < maxIterations && upper - lower > relativeTolerance * Math.abs(upper)) {
    const middle = options.geometric && lower > 0 ? Math.sqrt(lower * upper) : 0.5 * (lower + upper);
    if (middle <= lower || middle >= upper) break;
    if (predicate(middle)) upper = middle;
    else lower = middle;
    iterations++;
  }
  return { lower, upper, iterations };
}
