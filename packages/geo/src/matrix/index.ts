export * from './straight-line.ts';
