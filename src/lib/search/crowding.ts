/**
 * Crowding distance of each member of one front (NSGA-II): the sum over objectives of the normalised gap
 * between its neighbours; boundary points get Infinity. Returned in the order of `front`.
 */
export function crowdingDistance(points: readonly (readonly number[])[], front: readonly number[]): number[] {
  const distance = new Array<number>(front.length).fill(0);
  if (front.length === 0) return distance;
  const m = points[front[0]!]!.length;
  for (let k = 0; k < m; k++) {
    const order = front.map((_, i) => i).sort((a, b) => points[front[a]!]![k]! - points[front[b]!]![k]! || a - b);
    const lo = points[front[order[0]!]!]![k]!;
    const hi = points[front[order[order.length - 1]!]!]![k]!;
    distance[order[0]!] = Infinity;
    distance[order[order.length - 1]!] = Infinity;
    const range = hi - lo;
    if (!Number.isFinite(range) || range === 0) continue;
    for (let j = 1; j < order.length - 1; j++) {
      const gap = points[front[order[j + 1]!]!]![k]! - points[front[order[j - 1]!]!]![k]!;
      if (Number.isFinite(gap)) distance[order[j]!]! += gap / range;
    }
  }
  return distance;
}
