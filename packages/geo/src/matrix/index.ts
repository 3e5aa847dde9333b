export * from './straight-line.ts';
export * from './calibration.ts';
export * from './estimated.ts';
export * from './types.ts';
