// Build-time helpers: the source packages are NOT dependencies of @geocrm/geo. Install them
// with `npm install --no-save <pkgs>` (root node_modules) or into another folder and point
// GEO_SOURCES_DIR at the folder that contains its node_modules.
import { createRequire } from 'node:module';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const searchPaths = [process.env['GEO_SOURCES_DIR'], process.cwd(), dirname(new URL(import.meta.url).pathname)].filter(
  (p): p is string => typeof p === 'string' && p.length > 0,
);

const packageName = (specifier: string): string => {
  const parts = specifier.split('/');
  return (specifier.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
};

/** Absolute path of a file inside an installed source package (ignores its "exports" map). */
export const sourcePath = (specifier: string): string => {
  const name = packageName(specifier);
  const rest = specifier.slice(name.length);
  for (const start of searchPaths) {
    for (let dir = start; ; dir = dirname(dir)) {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return candidate + rest;
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(`Source package ${name} is not installed; see packages/geo/data/README.md`);
};

/** `require()` of a source package, typed by the caller's minimal interface. */
export const requireSource = <T>(specifier: string): T => require(require.resolve(specifier, { paths: searchPaths })) as T;

export const readJson = (specifier: string): unknown => JSON.parse(readFileSync(sourcePath(specifier), 'utf8')) as unknown;

export const packageVersion = (name: string): { version: string; license: string } => {
  const pkg = readJson(`${name}/package.json`) as { version?: string; license?: string };
  return { version: pkg.version ?? '?', license: pkg.license ?? '?' };
};

export const writeOutput = (relativeToPackage: string, text: string): string => {
  const url = new URL(`../${relativeToPackage}`, import.meta.url);
  mkdirSync(dirname(url.pathname), { recursive: true });
  writeFileSync(url, text);
  return url.pathname;
};

export const round5 = (x: number): number => Math.round(x * 1e5) / 1e5;
