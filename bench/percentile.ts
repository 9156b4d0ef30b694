/** The p-th percentile (0–100) of ascending values, nearest rank; 0 for no values. Shared by the bench scripts. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
