import { AppError } from '@geocrm/domain';
import type { Area, AreaGraph } from './types.ts';

/** An undirected adjacency between two areas (indexes), with the length of their shared boundary in km when known. */
export interface AreaEdge {
  readonly a: number;
  readonly b: number;
  readonly lengthKm?: number;
}

export interface BuildGraphOptions {
  /**
   * Link each group of two or more areas that is cut off from the rest (Corsica, an island with
   * several communes) to the nearest area outside it, so that territories can span it. Single
   * areas without neighbours stay islands. Default false.
   */
  readonly bridge?: boolean;
}

/**
 * Builds the compressed adjacency of `areas` from a list of edges (duplicates and self-loops are
 * dropped; a repeated edge keeps the sum of its lengths).
 * @example buildAreaGraph(areas, [{ a: 0, b: 1 }, { a: 1, b: 2 }])
 */
export const buildAreaGraph = (areas: readonly Area[], edges: Iterable<AreaEdge>, options: BuildGraphOptions = {}): AreaGraph => {
  const n = areas.length;
  const maps: Map<number, number>[] = Array.from({ length: n }, () => new Map<number, number>());
  let hasLengths = false;
  const add = (a: number, b: number, len: number): void => {
    const ma = maps[a];
    const mb = maps[b];
    if (!ma || !mb) return;
    ma.set(b, (ma.get(b) ?? 0) + len);
    mb.set(a, (mb.get(a) ?? 0) + len);
  };
  for (const e of edges) {
    if (!Number.isInteger(e.a) || !Number.isInteger(e.b) || e.a < 0 || e.b < 0 || e.a >= n || e.b >= n) {
      throw new AppError('VALIDATION', `Adjacency ${String(e.a)}–${String(e.b)} names an area that does not exist (there are ${String(n)} areas)`);
    }
    if (e.a === e.b) continue;
    if (e.lengthKm !== undefined) hasLengths = true;
    add(e.a, e.b, e.lengthKm ?? 0);
  }
  const bridges: [number, number][] = [];
  if (options.bridge) {
    for (const [a, b] of bridgePairs(areas, maps)) {
      add(a, b, 0);
      bridges.push([a, b]);
    }
  }
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = (offsets[i] ?? 0) + (maps[i]?.size ?? 0);
  const neighbours = new Int32Array(offsets[n] ?? 0);
  const lengths = new Float64Array(offsets[n] ?? 0);
  const islands: number[] = [];
  for (let i = 0; i < n; i++) {
    const m = maps[i];
    if (!m || m.size === 0) {
      islands.push(i);
      continue;
    }
    let p = offsets[i] ?? 0;
    for (const [j, len] of [...m].sort((x, y) => x[0] - y[0])) {
      neighbours[p] = j;
      lengths[p] = len;
      p++;
    }
  }
  return { areas, offsets, neighbours, ...(hasLengths ? { edgeLengths: lengths } : {}), islands, bridges };
};

/** Connected components of a neighbour map; returns a component id per area and the members of each. */
const componentsOf = (n: number, neighboursOf: (i: number) => Iterable<number>): { comp: Int32Array; members: number[][] } => {
  const comp = new Int32Array(n).fill(-1);
  const members: number[][] = [];
  const stack: number[] = [];
  for (let s = 0; s < n; s++) {
    if (comp[s] !== -1) continue;
    const id = members.length;
    const list: number[] = [];
    comp[s] = id;
    stack.push(s);
    while (stack.length > 0) {
      const v = stack.pop() ?? 0;
      list.push(v);
      for (const w of neighboursOf(v)) {
        if (comp[w] === -1) {
          comp[w] = id;
          stack.push(w);
        }
      }
    }
    members.push(list);
  }
  return { comp, members };
};

/**
 * Links every component of ≥ 2 areas to the rest, Prim-like: starting from the largest component,
 * repeatedly attach the detached component nearest to what is already connected, by its closest pair.
 */
const bridgePairs = (areas: readonly Area[], maps: readonly Map<number, number>[]): [number, number][] => {
  const { members } = componentsOf(areas.length, (i) => maps[i]?.keys() ?? []);
  const big = members.filter((m) => m.length >= 2).sort((p, q) => q.length - p.length);
  const main = big[0];
  if (!main || big.length <= 1) return [];
  const rest = big.slice(1).map((m) => ({ m, d: Number.POSITIVE_INFINITY, pair: [0, 0] as [number, number] }));
  const relax = (added: readonly number[]): void => {
    for (const r of rest) {
      for (const i of r.m) {
        const ai = areas[i];
        if (!ai) continue;
        for (const j of added) {
          const aj = areas[j];
          if (!aj) continue;
          const d = (ai.x - aj.x) ** 2 + (ai.y - aj.y) ** 2;
          if (d < r.d) {
            r.d = d;
            r.pair = [i, j];
          }
        }
      }
    }
  };
  relax(main);
  const pairs: [number, number][] = [];
  while (rest.length > 0) {
    let bi = 0;
    for (let c = 1; c < rest.length; c++) if ((rest[c]?.d ?? 0) < (rest[bi]?.d ?? 0)) bi = c;
    const [next] = rest.splice(bi, 1);
    if (!next) break;
    pairs.push(next.pair);
    relax(next.m);
  }
  return pairs;
};

/** Connected components of the whole graph (islands are components of one area). */
export const graphComponents = (graph: AreaGraph): readonly (readonly number[])[] =>
  componentsOf(graph.areas.length, (i) => graph.neighbours.subarray(graph.offsets[i] ?? 0, graph.offsets[i + 1] ?? 0)).members;

export interface TerritoryContiguity {
  readonly territory: number;
  /** Connected pieces of the territory, islands not counted (0 for an empty or islands-only territory). */
  readonly components: number;
  /** Island areas (no neighbour in the graph) in the territory: allowed, reported. */
  readonly islands: number;
}

export interface ContiguityReport {
  readonly territories: readonly TerritoryContiguity[];
  /** Σ over territories of (pieces − 1): 0 means every territory is contiguous. */
  readonly violations: number;
}

/**
 * Checks contiguity on the adjacency graph: each territory must induce one connected piece
 * (islands aside). `assignment[i]` is the territory (0..k−1) of area i.
 * @example checkContiguity(graph, [0, 0, 1], 2).violations // 0
 */
export const checkContiguity = (graph: AreaGraph, assignment: ArrayLike<number>, k: number): ContiguityReport => {
  const n = graph.areas.length;
  const seen = new Uint8Array(n);
  const pieces = new Int32Array(k);
  const islands = new Int32Array(k);
  const stack: number[] = [];
  for (let s = 0; s < n; s++) {
    const t = assignment[s] ?? -1;
    if (t < 0 || t >= k) continue;
    const from = graph.offsets[s] ?? 0;
    const to = graph.offsets[s + 1] ?? 0;
    if (from === to) {
      islands[t] = (islands[t] ?? 0) + 1;
      continue;
    }
    if (seen[s]) continue;
    pieces[t] = (pieces[t] ?? 0) + 1;
    seen[s] = 1;
    stack.push(s);
    while (stack.length > 0) {
      const v = stack.pop() ?? 0;
      for (let p = graph.offsets[v] ?? 0; p < (graph.offsets[v + 1] ?? 0); p++) {
        const w = graph.neighbours[p] ?? 0;
        if (!seen[w] && assignment[w] === t) {
          seen[w] = 1;
          stack.push(w);
        }
      }
    }
  }
  const territories: TerritoryContiguity[] = [];
  let violations = 0;
  for (let t = 0; t < k; t++) {
    const c = pieces[t] ?? 0;
    territories.push({ territory: t, components: c, islands: islands[t] ?? 0 });
    violations += Math.max(0, c - 1);
  }
  return { territories, violations };
};
