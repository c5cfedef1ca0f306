/**
 * One-to-one assignment maximising total weight (Kuhn–Munkres / Hungarian, O(n²·m)).
 * Weights are integers so the optimum is exact and reproducible, with no float ties to break.
 */

/** For each row, the column it is assigned (or -1): a minimum-cost matching on an n×m matrix, n ≤ m. */
function minCostRows(cost: Float64Array, n: number, m: number): Int32Array {
  const INF = Number.MAX_SAFE_INTEGER;
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1); // p[j]: the row (1-based) holding column j; 0 = free
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(INF);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = p[j0]!;
      let delta = INF;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const cur = cost[(i0 - 1) * m + (j - 1)]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[p[j]!]! += delta;
          v[j]! -= delta;
        } else minv[j]! -= delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0]!;
      p[j0] = p[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const rowToCol = new Int32Array(n).fill(-1);
  for (let j = 1; j <= m; j++) if (p[j] !== 0) rowToCol[p[j]! - 1] = j - 1;
  return rowToCol;
}

/**
 * Pairs (row, column) with score >= threshold, each row and column used at most once, maximising
 * the sum of (score - threshold): a pair is worth only its margin over the threshold, so two
 * barely-passing pairs do not displace one clear match, while a clearly better overall
 * assignment still beats picking greedily. Among equal totals, earlier rows, then earlier
 * columns, win (a tie-break term too small to outweigh any score difference).
 */
export function assignOneToOne(scores: number[][], threshold: number): Array<[number, number]> {
  const rows = scores.length;
  const cols = scores[0]?.length ?? 0;
  if (rows === 0 || cols === 0) return [];
  const transpose = rows > cols; // the algorithm wants n <= m
  const n = transpose ? cols : rows;
  const m = transpose ? rows : cols;
  // Margins in 1/10000ths; the tie term sums to less than one unit over any assignment.
  const tieUnit = n * rows * cols + 1;
  const cost = new Float64Array(n * m);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const s = scores[r]![c]!;
      if (!(s >= threshold)) continue;
      const margin = Math.round((s - threshold) * 10_000) + 1;
      const tie = (rows - r) * cols + (cols - c);
      const weight = margin * tieUnit + tie;
      cost[transpose ? c * m + r : r * m + c] = -weight;
    }
  }
  const assigned = minCostRows(cost, n, m);
  const pairs: Array<[number, number]> = [];
  assigned.forEach((col, row) => {
    if (col < 0) return;
    const [r, c] = transpose ? [col, row] : [row, col];
    if (scores[r]![c]! >= threshold) pairs.push([r, c]);
  });
  return pairs.sort((a, b) => a[0] - b[0]);
}
