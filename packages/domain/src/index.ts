export * from './errors.ts';
export * from './geo.ts';
export * from './accounts.ts';
export * from './users.ts';
