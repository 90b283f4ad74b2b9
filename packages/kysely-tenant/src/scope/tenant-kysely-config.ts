import type { Dialect, Kysely, KyselyPlugin, LogConfig } from 'kysely'
import type { TenancyOptions } from '../tenancy-options.js'
import type { TenantChangeListenerOptions } from './tenant-change-listener.js'
import type { TenantStatusSource } from './tenant-status-source.js'

/** How many scoped instances `withTenant` keeps unless configured otherwise. */
export const DEFAULT_SCOPE_CACHE_SIZE = 1_000

/** The settings of a `TenantKysely`, given once at start-up. */
export interface TenantKyselyConfig {
  /**
   * Your `PostgresDialect` (with your `pg.Pool`). Its one pool serves the root instance and
   * every tenant; scoped instances never end it, only `TenantKysely.destroy()` does.
   */
  readonly dialect: Dialect
  /**
   * Where tenant statuses come from: a `TenantRegistry`, any `{ lookup(slug) }`, or a
   * function that builds one from this instance (with its plugins removed), so the lookups
   * share the pool:
   * `statusSource: (db) => new TenantRegistry(db)`.
   */
  readonly statusSource: TenantStatusSource | ((db: Kysely<any>) => TenantStatusSource)
  /** Schema prefix and shared schemas (the search path after the tenant's schema). */
  readonly tenancy?: TenancyOptions
  /**
   * Tables that live in a shared schema, which scoped queries must not put in the tenant's
   * schema. Write `'shared.plans'` to have them qualified with their schema (always
   * right). A bare `'plans'` is left unqualified and resolves through the search path:
   * inside a scoped transaction the shared schemas (`tenancy.sharedSchemas`), outside one
   * the connection's default (`"$user", public`), so use bare names only for tables in
   * `public`. Defaults to none.
   */
  readonly sharedTables?: readonly string[]
  /**
   * How long a tenant's status is trusted, in milliseconds. Defaults to 5,000. Changes are
   * seen at once through `invalidateTenant` and the listener; the TTL only bounds staleness
   * when a notification is missed. `0` looks the status up before every connection.
   */
  readonly statusCacheTtlMs?: number
  /** The most tenant statuses cached. Defaults to 10,000. */
  readonly statusCacheMaxEntries?: number
  /** The most scoped instances kept for reuse. Defaults to 1,000. */
  readonly scopeCacheSize?: number
  /**
   * Listens for tenant changes made by other processes (PostgreSQL LISTEN on
   * `kysely_tenant_change`) and forgets their cached status at once. Give it a DIRECT
   * connection string (not PgBouncer in transaction mode, where LISTEN does not work).
   * Without it, other processes' changes are seen after at most `statusCacheTtlMs`.
   */
  readonly listener?: TenantChangeListenerOptions
  /** Kysely plugins, applied to the root and every scoped instance. */
  readonly plugins?: KyselyPlugin[]
  /** Kysely's query log, for the root and every scoped instance. */
  readonly log?: LogConfig
}
