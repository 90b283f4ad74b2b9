import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url))

export default defineConfig({
  resolve: {
    // Tests run against the packages' TypeScript sources, so no build is needed between edits.
    alias: {
      '@kysely-tenant/core': src('./packages/core/src/index.ts'),
      '@kysely-tenant/http': src('./packages/http/src/index.ts'),
      'kysely-tenant': src('./packages/kysely-tenant/src/index.ts'),
    },
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    globalSetup: ['./internal/test-harness/src/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
})
