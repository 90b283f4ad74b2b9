import type { Kysely } from 'kysely'
import type { TenancyOptions } from '../tenancy-options.js'
import type { FanOutOptions } from './tenant-fan-out.js'
import type { TenantMigrationProvider } from './tenant-migration.js'

/** node-postgres's default pool size (`max`), assumed when `poolSize` is not given. */
export const DEFAULT_POOL_SIZE = 10

export interface TenantMigratorProps {
  /** A Kysely on your pool; each tenant gets its own transaction (and connection) from it. */
  readonly db: Kysely<any>
  /** Where the tenant migrations come from: `FolderMigrationProvider`, Kysely's `FileMigrationProvider`, ... */
  readonly provider: TenantMigrationProvider
  readonly tenancy?: TenancyOptions
  /** The `max` of the pool behind `db`. Defaults to 10, node-postgres's default. */
  readonly poolSize?: number
  /**
   * Tenants migrated at once. Defaults to `poolSize - 1` (at least 1): every tenant holds a
   * connection for its whole transaction, and one is left for the caller's other queries.
   */
  readonly concurrency?: number
  /** Stop starting tenants after the first failure. Defaults to `false`: carry on. */
  readonly failFast?: boolean
  /** See `ApplyTenantMigrationsOptions.allowUnorderedMigrations`. Defaults to `false`. */
  readonly allowUnorderedMigrations?: boolean
}

/** Which tenants a run covers. */
export interface TenantRunOptions extends FanOutOptions {
  /** Only this tenant (slug). It must be provisioned or suspended. */
  readonly tenant?: string
}
