// pnpm --filter @examples/admin-api start: the admin API and tenant-scoped orders on PORT.
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { PostgresDialect } from 'kysely'
import { createTenancy, FolderMigrationProvider, migrateTenantRegistry } from 'kysely-tenant'
import pg from 'pg'
import { createExampleApp } from './app.js'
import type { Database } from './database.js'

const { DATABASE_URL, ADMIN_TOKEN, PORT = '3000', ROOT_DOMAIN = 'localhost' } = process.env
if (!DATABASE_URL || !ADMIN_TOKEN) {
  console.error('set DATABASE_URL (postgres://...) and ADMIN_TOKEN (at least 16 characters)')
  process.exit(1)
}

const migrations = new FolderMigrationProvider(
  fileURLToPath(new URL('../../../migrations/tenant', import.meta.url)),
)
const tenancy = createTenancy<Database>({
  dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: DATABASE_URL }) }),
  migrations,
  // Changes made by other processes (the CLI, another instance) are seen at once.
  listener: { connectionString: DATABASE_URL },
})
await migrateTenantRegistry(tenancy.db.withoutPlugins())
await tenancy.db.startListening()

const app = createExampleApp({
  tenancy,
  migrations,
  adminTokens: [ADMIN_TOKEN],
  rootDomain: ROOT_DOMAIN,
})
const server = serve({ fetch: app.fetch, port: Number(PORT) }, (info) => {
  console.log(`admin-api example listening on http://localhost:${info.port}`)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close()
    void tenancy.destroy()
  })
}
