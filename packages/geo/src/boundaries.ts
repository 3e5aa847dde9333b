import { readFileSync } from 'node:fs';
import type { BoundaryCollection } from './geojson.ts';

export const BOUNDARY_LAYERS = ['countries', 'fr-regions', 'fr-departements'] as const;
export type BoundaryLayer = (typeof BOUNDARY_LAYERS)[number];

const cache = new Map<BoundaryLayer, BoundaryCollection>();

/**
 * Simplified boundary polygons shipped with the package (read once, then cached).
 * `countries`: world, ISO 3166-1 numeric codes (France = '250'; `xx-<name>` for the few areas without one, e.g. Kosovo); `fr-regions`: 18 régions;
 * `fr-departements`: 101 départements including the five overseas ones. Codes are INSEE codes.
 * @example loadBoundaries('fr-departements').features.find((f) => f.properties.code === '59')
 */
export const loadBoundaries = (layer: BoundaryLayer): BoundaryCollection => {
  const cached = cache.get(layer);
  if (cached) return cached;
  const text = readFileSync(new URL(`../data/boundaries/${layer}.geojson`, import.meta.url), 'utf8');
  const collection = JSON.parse(text) as BoundaryCollection;
  cache.set(layer, collection);
  return collection;
};
