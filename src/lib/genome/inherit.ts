import type { GraphNode } from './graph';

/** One layer's trained weights as plain data (the order tfjs' `getWeights()` gives). */
export interface LayerWeights {
  readonly name: string;
  readonly tensors: readonly { readonly shape: readonly number[]; readonly values: Float32Array }[];
}

/** A finished candidate that can lend its weights: its sequence number and lowered ops. */
export interface Donor {
  readonly seq: number;
  readonly nodes: readonly GraphNode[];
}

/** Ops with weights, by name, with their parameter count: the same name and count almost always mean the same shapes. */
function weighted(nodes: readonly GraphNode[]): Map<string, number> {
  return new Map(nodes.filter((n) => n.params > 0).map((n) => [n.name, n.params]));
}

/**
 * The finished network a new one should start from (weight inheritance, as in LEMONADE): the donor sharing the
 * most weighted ops by name and size (ties: the later one, closer to the search's present). Null when none
 * shares any. The training worker copies only layers whose tensor shapes match exactly.
 */
export function chooseDonor(child: readonly GraphNode[], donors: readonly Donor[]): { seq: number; matches: number } | null {
  const mine = weighted(child);
  let best: { seq: number; matches: number } | null = null;
  for (const d of donors) {
    let matches = 0;
    for (const [name, params] of weighted(d.nodes)) if (mine.get(name) === params) matches++;
    if (matches > 0 && (!best || matches > best.matches || (matches === best.matches && d.seq > best.seq))) best = { seq: d.seq, matches };
  }
  return best;
}
