export * from './design.ts';
export * from './graph.ts';
export * from './measures.ts';
export * from './metrics.ts';
export * from './types.ts';
export * from './exact.ts';
export * from './areas.ts';
export * from './geometry.ts';
