export * from './attribution.ts';
export * from './boundaries.ts';
export * from './communes.ts';
export * from './geojson.ts';
export * from './normalize.ts';
