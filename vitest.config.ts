import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';

/**
 * Every project runs on the embedded database (PGlite). When DATABASE_URL points at a PostgreSQL
 * server with PostGIS (as in CI), the database-backed projects run a second time against it.
 */
const serverUrl = process.env['DATABASE_URL'];
const onServer = (name: string, path: string, exclude: string[] = []): TestProjectInlineConfiguration => ({
  extends: `./${path}/vitest.config.ts`,
  test: { name: `${name}:postgres`, root: `./${path}`, env: { GEOCRM_TEST_DATABASE_URL: serverUrl ?? '' }, exclude: ['**/node_modules/**', ...exclude] },
});

export default defineConfig({
  resolve: { conditions: ['source'] },
  test: {
    projects: [
      'packages/*',
      'apps/*',
      ...(serverUrl
        ? [onServer('db', 'packages/db', ['test/data-dir.test.ts']), onServer('server', 'apps/server', ['test/lifecycle.test.ts', 'src/features/demo/**'])]
        : []),
    ],
    env: { TZ: 'UTC' },
    allowOnly: !process.env['CI'],
  },
});
