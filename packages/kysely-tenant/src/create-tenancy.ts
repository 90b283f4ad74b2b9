import type { Kysely } from 'kysely'
import type { TenantMigrationProvider } from './migration/tenant-migration.js'
import { TenantMigrator } from './migration/tenant-migrator.js'
import type { TenantMigratorProps } from './migration/tenant-migrator-props.js'
import { TenantRegistry } from './registry/tenant-registry.js'
import { TenantKysely } from './scope/tenant-kysely.js'
import type { TenantKyselyConfig } from './scope/tenant-kysely-config.js'
import { TenantService } from './service/tenant-service.js'
import { resolveTenancyOptions } from './tenancy-options.js'

/** Everything `createTenancy` needs: `TenantKyselyConfig` plus the tenant migrations. */
export interface TenancyConfig extends Omit<TenantKyselyConfig, 'statusSource'> {
  /** The per-tenant migrations (e.g. `new FolderMigrationProvider('migrations/tenant')`). */
  readonly migrations: TenantMigrationProvider
  /**
   * The `max` of your pool: the migrator migrates `poolSize - 1` tenants at once.
   * Defaults to 10, node-postgres's default.
   */
  readonly poolSize?: number
  /** See `TenantServiceOptions.allowUnorderedMigrations`. Defaults to `false`. */
  readonly allowUnorderedMigrations?: boolean
}

/** The parts of kysely-tenant, wired to one pool. */
export interface Tenancy<DB> {
  /** Your Kysely, plus `db.withTenant(slug)`. */
  readonly db: TenantKysely<DB>
  /** Create, provision, suspend, activate, delete and purge tenants. */
  readonly tenants: TenantService
  /** Migrate every tenant schema. */
  readonly migrator: TenantMigrator
  /** Stops the change listener and ends the pool. */
  destroy(): Promise<void>
}

/**
 * Builds the whole of kysely-tenant on one pool, wired together: the service's changes
 * are forgotten at once by `withTenant`'s status cache in this process (and, through
 * NOTIFY and the `listener`, in every other), and every part shares the same tenancy
 * options. The registry and migrations run without your Kysely plugins, so a
 * `CamelCasePlugin` of yours cannot rename the library's own columns.
 *
 * ### Examples
 *
 * ```ts
 * import { Pool } from 'pg'
 *
 * const connectionString = process.env.DATABASE_URL as string
 * const { db, tenants, migrator } = createTenancy<Database>({
 *   dialect: new PostgresDialect({ pool: new Pool({ connectionString }) }),
 *   migrations: new FolderMigrationProvider('migrations/tenant'),
 *   listener: { connectionString },
 * })
 * await migrateTenantRegistry(db)
 * await tenants.create({ name: 'ACME Corp', slug: 'acme-corp' })
 * await tenants.provision('acme-corp')
 * const orders = await db.withTenant('acme-corp', (trx) =>
 *   trx.selectFrom('orders').selectAll().execute(),
 * )
 * ```
 */
export function createTenancy<DB>(config: TenancyConfig): Tenancy<DB> {
  const tenancy = resolveTenancyOptions(config.tenancy)
  const db = new TenantKysely<DB>({
    ...config,
    statusSource: (plain) => new TenantRegistry(plain, tenancy.controlSchema),
  })
  const plain = db.withoutPlugins() as Kysely<any>
  const tenants = new TenantService(plain, {
    ...tenancy,
    migrations: config.migrations,
    ...(config.allowUnorderedMigrations !== undefined && {
      allowUnorderedMigrations: config.allowUnorderedMigrations,
    }),
  })
  tenants.events.on('*', (tenant) => db.invalidateTenant(tenant.slug))
  const migratorProps: TenantMigratorProps = {
    db: plain,
    provider: config.migrations,
    tenancy,
    ...(config.poolSize !== undefined && { poolSize: config.poolSize }),
    ...(config.allowUnorderedMigrations !== undefined && {
      allowUnorderedMigrations: config.allowUnorderedMigrations,
    }),
  }
  return Object.freeze({
    db,
    tenants,
    migrator: new TenantMigrator(migratorProps),
    destroy: () => db.destroy(),
  })
}
