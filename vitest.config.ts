import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['source'] },
  test: {
    projects: ['packages/*', 'apps/*'],
    env: { TZ: 'UTC' },
    allowOnly: !process.env['CI'],
  },
});
