#!/usr/bin/env node
// Plain JS shim: registers tsx, then runs the TypeScript CLI from source.
const { register } = await import('tsx/esm/api');
register();
await import('../src/cli.ts');
