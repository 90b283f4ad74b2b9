import {
  createAdminApi,
  fromHeader,
  fromSubdomain,
  type HttpLogger,
  ledgerMigrationStatus,
  resolveTenant,
  tenantErrorHandler,
} from '@kysely-tenant/http'
import { Hono } from 'hono'
import type { Tenancy, TenantMigrationProvider } from 'kysely-tenant'
import type { Database } from './database.js'
import { ordersRoutes } from './orders-routes.js'

export interface ExampleAppOptions {
  readonly tenancy: Tenancy<Database>
  readonly migrations: TenantMigrationProvider
  readonly adminTokens: readonly string[]
  /** Tenants are also found at `<slug>.<rootDomain>`. Defaults to `localhost`. */
  readonly rootDomain?: string
  readonly logger?: HttpLogger
}

/**
 * The example's whole app: the admin API at `/api/tenants` and the tenant-scoped
 * `/api/orders`, whose tenant comes from `X-Tenant` or the subdomain (header first).
 */
export function createExampleApp(options: ExampleAppOptions): Hono {
  const { db, tenants } = options.tenancy
  const logger = options.logger ?? { error: (message, error) => console.error(message, error) }
  const app = new Hono()
  app.onError(tenantErrorHandler(logger))
  app.route(
    '/',
    createAdminApi({
      tenants,
      adminTokens: options.adminTokens,
      // Applied from each tenant's ledger, pending as the migrator would run them.
      migrationStatus: ledgerMigrationStatus({
        db: db.withoutPlugins(),
        migrations: options.migrations,
        migrator: options.tenancy.migrator,
      }),
      logger,
    }),
  )
  const tenantOf = resolveTenant({
    db,
    from: [fromHeader('x-tenant'), fromSubdomain(options.rootDomain ?? 'localhost')],
    logger,
  })
  app.use('/api/orders', tenantOf)
  app.use('/api/orders/*', tenantOf)
  app.route('/api/orders', ordersRoutes())
  return app
}
