export * from './common.ts';
export * from './auth.ts';
export * from './accounts.ts';
export * from './geo.ts';
export * from './imports.ts';
export * from './tours.ts';
export * from './territories.ts';
export * from './slots.ts';
