// Summaries of measured samples.

/** The q-quantile (0..1) of `samples`, by nearest rank. */
export function quantile(samples, q) {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank];
}

export const median = (samples) => quantile(samples, 0.5);
export const p99 = (samples) => quantile(samples, 0.99);
