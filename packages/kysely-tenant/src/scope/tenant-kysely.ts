import { Kysely, type Transaction } from 'kysely'
import { resolveTenancyOptions } from '../tenancy-options.js'
import { SharedDriver } from './shared-driver.js'
import { TenantChangeListener } from './tenant-change-listener.js'
import type { TenantKyselyConfig } from './tenant-kysely-config.js'
import { kyselyConfig, TenantScopes } from './tenant-scopes.js'
import { TenantStatusCache } from './tenant-status-cache.js'

/**
 * A `Kysely` that can scope itself to a tenant: `db.withTenant('acme-corp')`. Build it once
 * at start-up, like `Kysely`; used directly it is a plain, unscoped `Kysely<DB>`.
 *
 * A scoped instance is safe twice over: its builders are schema-qualified (the
 * `TenantSchemaPlugin`), and each transaction it begins sets the search path with
 * `set local` in the same round trip as `begin`, so raw `sql`, functions, sequences and
 * types resolve in the tenant's schema too. Outside a transaction only builders are scoped:
 * run raw `sql` for a tenant inside a transaction. Before any connection is handed out the
 * tenant's status is checked (cached; see `statusCacheTtlMs`): only provisioned tenants get
 * through. Instances derived from the root (`withPlugin`, `withSchema`, `withTables`) are
 * plain `Kysely`s on the same pool, without `withTenant`.
 *
 * ### Examples
 *
 * ```ts
 * import { Pool } from 'pg'
 *
 * const db = new TenantKysely<Database>({
 *   dialect: new PostgresDialect({ pool: new Pool({ connectionString }) }),
 *   statusSource: (plain) => new TenantRegistry(plain, DEFAULT_CONTROL_SCHEMA),
 *   listener: { connectionString }, // a DIRECT connection (LISTEN), not PgBouncer
 * })
 *
 * const orders = await db.withTenant('acme-corp', (trx) =>
 *   trx.selectFrom('orders').selectAll().where('status', '=', 'open').execute(),
 * )
 * ```
 *
 * The generated SQL (PostgreSQL):
 *
 * ```sql
 * begin; set local search_path to "tenant_acme_corp", "public"; lock table "tenant_acme_corp"."kysely_tenant_migration" in access share mode
 * select * from "tenant_acme_corp"."orders" where "status" = $1
 * commit
 * ```
 */
export class TenantKysely<DB> extends Kysely<DB> {
  readonly #shared: SharedDriver
  readonly #statuses: TenantStatusCache
  readonly #scopes: TenantScopes<DB>
  readonly #listener: TenantChangeListener | undefined

  constructor(config: TenantKyselyConfig) {
    const shared = new SharedDriver(config.dialect.createDriver())
    super(kyselyConfig(config, shared))
    this.#shared = shared
    const source =
      typeof config.statusSource === 'function'
        ? config.statusSource(this.withoutPlugins() as Kysely<any>)
        : config.statusSource
    this.#statuses = new TenantStatusCache(source, {
      ...(config.statusCacheTtlMs === undefined ? {} : { ttlMs: config.statusCacheTtlMs }),
      ...(config.statusCacheMaxEntries === undefined
        ? {}
        : { maxEntries: config.statusCacheMaxEntries }),
    })
    const frozen = Object.freeze({ ...config })
    this.#scopes = new TenantScopes(
      frozen,
      resolveTenancyOptions(config.tenancy),
      shared,
      this.#statuses,
    )
    this.#listener =
      config.listener &&
      new TenantChangeListener(config.listener, {
        changed: (slug) => this.#statuses.invalidate(slug),
        resync: () => this.#statuses.clear(),
      })
  }

  /**
   * A `Kysely` scoped to the tenant `slug`; with a callback, runs it in one scoped
   * transaction and returns its result (rolled back if it throws).
   *
   * Throws `INVALID_SLUG` at once for a malformed slug. The tenant's status is checked when
   * the first query asks for a connection: `TENANT_NOT_FOUND`, `TENANT_NOT_PROVISIONED`,
   * `TENANT_SUSPENDED` or `TENANT_DELETED`, before anything reaches the tenant's schema.
   * Instances are cached per tenant, so calling this per request is cheap.
   *
   * ### Examples
   *
   * ```ts
   * await db.withTenant('acme-corp').selectFrom('orders').selectAll().execute()
   *
   * await db
   *   .withTenant('acme-corp')
   *   .transaction()
   *   .setIsolationLevel('serializable')
   *   .execute(async (trx) => {
   *     await sql`select nextval('order_number')`.execute(trx) // the tenant's sequence
   *   })
   * ```
   *
   * The generated SQL (PostgreSQL):
   *
   * ```sql
   * select * from "tenant_acme_corp"."orders"
   *
   * start transaction isolation level serializable; set local search_path to "tenant_acme_corp", "public"; lock table "tenant_acme_corp"."kysely_tenant_migration" in access share mode
   * select nextval('order_number')
   * commit
   * ```
   */
  withTenant(slug: string): Kysely<DB>
  withTenant<T>(slug: string, callback: (trx: Transaction<DB>) => Promise<T>): Promise<T>
  withTenant<T>(
    slug: string,
    callback?: (trx: Transaction<DB>) => Promise<T>,
  ): Kysely<DB> | Promise<T> {
    if (!callback) return this.#scope(slug)
    try {
      return this.#scope(slug).transaction().execute(callback)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /**
   * Resolves when the tenant `slug` may be accessed now, and rejects with the `TenantError`
   * `withTenant` would raise otherwise (`INVALID_SLUG`, `TENANT_NOT_FOUND`,
   * `TENANT_NOT_PROVISIONED`, `TENANT_SUSPENDED`, `TENANT_DELETED`). Uses the same status
   * cache, so a recent answer costs no I/O and no connection: for middleware that refuses a
   * request before the route runs.
   *
   * ### Examples
   *
   * ```ts
   * await db.checkTenant('acme-corp') // throws TENANT_SUSPENDED for a suspended tenant
   * ```
   */
  checkTenant(slug: string): Promise<void> {
    void this.#listener?.start()
    return this.#scopes.check(slug)
  }

  /**
   * Forgets the cached status of `slug` in this process, so the next query checks it again.
   * Call it after changing a tenant (the service does); other processes learn of the change
   * through the listener.
   */
  invalidateTenant(slug: string): void {
    this.#statuses.invalidate(slug)
  }

  /**
   * Starts the change listener (when configured) and resolves once it is LISTENing. The
   * first `withTenant` starts it anyway; await this at start-up to be sure that changes made
   * by other processes from now on are seen at once.
   */
  startListening(): Promise<void> {
    return this.#listener?.start() ?? Promise.resolve()
  }

  /** Stops the listener and ends the shared pool (scoped instances stop working too). */
  override async destroy(): Promise<void> {
    await this.#listener?.stop()
    this.#scopes.clear()
    await super.destroy()
    await this.#shared.destroy()
  }

  #scope(slug: string): Kysely<DB> {
    // Started on first use rather than in the constructor: building a TenantKysely opens
    // nothing, as with Kysely. Statuses cached before LISTEN is active are dropped once it is.
    void this.#listener?.start()
    return this.#scopes.get(slug)
  }
}
