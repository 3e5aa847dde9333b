export * from './blocks.ts';
export * from './calibration.ts';
export * from './estimated.ts';
export * from './factory.ts';
export type { HttpProviderOptions } from './http.ts';
export * from './osrm.ts';
export * from './straight-line.ts';
export * from './types.ts';
export * from './valhalla.ts';
