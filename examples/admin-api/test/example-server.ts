import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { createTestDatabase, type TestDatabase } from '@internal/test-harness'
import { PostgresDialect } from 'kysely'
import { createTenancy, FolderMigrationProvider, migrateTenantRegistry } from 'kysely-tenant'
import { createExampleApp } from '../src/app.js'
import type { Database } from '../src/database.js'

export const ADMIN_TOKEN = 'example-test-admin-token'

/** The example app as server.ts builds it, on port 0 and a fresh database. */
export async function startExample() {
  const database: TestDatabase = await createTestDatabase()
  const migrations = new FolderMigrationProvider(
    fileURLToPath(new URL('../../../migrations/tenant', import.meta.url)),
  )
  const tenancy = createTenancy<Database>({
    dialect: new PostgresDialect({ pool: database.pool() }),
    migrations,
  })
  await migrateTenantRegistry(tenancy.db.withoutPlugins())
  const logged: unknown[] = []
  const app = createExampleApp({
    tenancy,
    migrations,
    adminTokens: [ADMIN_TOKEN],
    logger: { error: (_message, error) => logged.push(error) },
  })
  // No hostname: listen on every interface, as server.ts does, so `localhost` resolving to
  // ::1 or 127.0.0.1 both reach it.
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0 }, () => resolve(s))
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    tenancy,
    logged,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await tenancy.destroy()
      await database.drop()
    },
  }
}
