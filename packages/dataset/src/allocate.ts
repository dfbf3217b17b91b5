/**
 * Splits `total` into integers proportional to `weights` that sum to exactly `total` (largest remainder):
 * how published district totals become per-community figures without rounding drift.
 */
export function allocate(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (sum <= 0) throw new Error('allocate: weights must sum to more than 0');
  const exact = weights.map((weight) => (total * weight) / sum);
  const result = exact.map(Math.floor);
  let left = total - result.reduce((a, b) => a + b, 0);
  const order = exact
    .map((value, index) => ({ index, remainder: value - Math.floor(value) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) result[order[k]!.index]! += 1;
  return result;
}

/**
 * As `allocate`, but no part exceeds its cap (e.g. voters taking part ≤ voters registered): what a capped
 * part cannot take goes to the others in proportion to their weights, so the total stays exact.
 */
export function allocateCapped(total: number, weights: readonly number[], caps: readonly number[]): number[] {
  if (total > caps.reduce((a, b) => a + b, 0)) throw new Error('allocateCapped: total exceeds the caps');
  const result = weights.map(() => 0);
  let left = total;
  while (left > 0) {
    const open = weights.map((weight, i) => (result[i]! < caps[i]! ? Math.max(weight, 1e-9) : 0));
    const parts = allocate(left, open);
    left = 0;
    parts.forEach((part, i) => {
      const taken = Math.min(part, caps[i]! - result[i]!);
      result[i]! += taken;
      left += part - taken;
    });
  }
  return result;
}
