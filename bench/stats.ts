/** Small statistics and formatting shared by the benchmark's sections. */

/** The median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  if (values.length === 0) {
    throw new Error('median: the list of values is empty; measure at least once.');
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** `ours / theirs` as `0.33x`, or `n/a` when either side is missing or zero. */
export function ratio(ours: number | undefined, theirs: number | undefined): string {
  if (ours === undefined || theirs === undefined || !Number.isFinite(ours) || !Number.isFinite(theirs) || theirs === 0) {
    return 'n/a';
  }
  return `${(ours / theirs).toFixed(2)}x`;
}

/** A number with thousands separators and a fixed count of decimals. */
export function num(value: number | undefined, decimals = 0): string {
  if (value === undefined || !Number.isFinite(value)) {
    return 'n/a';
  }
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** The q-quantile (0 to 1) of a non-empty list, interpolating between neighbours. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) {
    throw new Error('quantile: the list of values is empty; measure at least once.');
  }
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}
