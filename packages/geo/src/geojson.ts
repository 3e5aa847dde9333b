// Minimal GeoJSON (RFC 7946) types for the shipped boundary files; structurally compatible with
// @types/geojson and MapLibre sources, without a dependency.
export type Position = readonly number[];
export interface Polygon { readonly type: 'Polygon'; readonly coordinates: readonly (readonly Position[])[] }
export interface MultiPolygon { readonly type: 'MultiPolygon'; readonly coordinates: readonly (readonly (readonly Position[])[])[] }
export interface Feature<G, P> { readonly type: 'Feature'; readonly properties: P; readonly geometry: G; readonly id?: string | number }
export interface FeatureCollection<G, P> { readonly type: 'FeatureCollection'; readonly features: readonly Feature<G, P>[] }

/** Properties of every shipped boundary feature: ISO 3166-1 numeric code (countries) or INSEE code (France). */
export interface BoundaryProperties { readonly code: string; readonly name: string }
export type BoundaryCollection = FeatureCollection<Polygon | MultiPolygon, BoundaryProperties>;
