export const MEASURES = ['count', 'revenue', 'potential', 'workload'] as const;
/** What an area weighs: number of accounts, revenue, sales potential, workload (visit time). */
export type MeasureName = (typeof MEASURES)[number];
export type Measures = Readonly<Record<MeasureName, number>>;

/** A basic area (département, commune cell, H3 hexagon or a single account). */
export interface Area {
  readonly id: string;
  readonly name?: string;
  /** Planar position in km (x east, y north) in the projection of the graph; used for distances. */
  readonly x: number;
  readonly y: number;
  /** Longitude / latitude of the same point, when the area is geographic. */
  readonly lng?: number;
  readonly lat?: number;
  readonly measures: Measures;
  /** Surface (km²) and perimeter (km) of the area's polygon, when it has one (for Polsby-Popper). */
  readonly areaKm2?: number;
  readonly perimeterKm?: number;
}

/**
 * Areas with their adjacency (undirected, symmetric, compressed: the neighbours of area i are
 * `neighbours[offsets[i] .. offsets[i+1])`). `edgeLengths` (km of shared boundary, same indexing as
 * `neighbours`) is there when the areas have polygons.
 */
export interface AreaGraph {
  readonly areas: readonly Area[];
  readonly offsets: Int32Array;
  readonly neighbours: Int32Array;
  readonly edgeLengths?: Float64Array;
  /** Areas without any neighbour: allowed in any territory, never a contiguity violation. */
  readonly islands: readonly number[];
  /** Links added between otherwise separate groups of areas (e.g. Corsica to the mainland), as area index pairs. */
  readonly bridges: readonly (readonly [number, number])[];
  /** Longitude/latitude → the plane of `x`/`y` (km), when the areas are geographic. */
  readonly project?: (lng: number, lat: number) => readonly [number, number];
}

/** An account (or any weighted point) that builders aggregate into areas. */
export interface AccountPoint {
  readonly id?: string;
  readonly lng: number;
  readonly lat: number;
  readonly revenue?: number;
  readonly potential?: number;
  readonly workload?: number;
}
