import {
  assertTenantAccess,
  formatSearchPath,
  slugToSchemaName,
  TenantError,
} from '@kysely-tenant/core'
import { Kysely, type KyselyConfig, type Transaction } from 'kysely'
import { type ResolvedTenancyOptions, resolveTenancyOptions } from '../tenancy-options.js'
import { SharedDriver } from './shared-driver.js'
import { TenantChangeListener } from './tenant-change-listener.js'
import { DEFAULT_SCOPE_CACHE_SIZE, type TenantKyselyConfig } from './tenant-kysely-config.js'
import { TenantSchemaPlugin } from './tenant-schema-plugin.js'
import { TenantScopeDriver } from './tenant-scope-driver.js'
import { TenantStatusCache } from './tenant-status-cache.js'
import type { TenantStatusEntry } from './tenant-status-source.js'
import { withDriver } from './with-driver.js'

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
 * through.
 *
 * ### Examples
 *
 * ```ts
 * const db = new TenantKysely<Database>({
 *   dialect: new PostgresDialect({ pool: new Pool({ connectionString }) }),
 *   statusSource: (db) => new TenantRegistry(db),
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
 * begin; set local search_path to "tenant_acme_corp", "public"
 * select * from "tenant_acme_corp"."orders" where "status" = $1
 * commit
 * ```
 */
export class TenantKysely<DB> extends Kysely<DB> {
  readonly #shared: SharedDriver
  readonly #config: TenantKyselyConfig
  readonly #tenancy: ResolvedTenancyOptions
  readonly #statuses: TenantStatusCache
  readonly #scopes: Map<string, Kysely<DB>>
  readonly #listener: TenantChangeListener | undefined

  constructor(config: TenantKyselyConfig) {
    const shared = new SharedDriver(config.dialect.createDriver())
    super(kyselyConfig(config, () => shared, []))
    this.#shared = shared
    this.#config = Object.freeze({ ...config })
    this.#tenancy = resolveTenancyOptions(config.tenancy)
    this.#scopes = new Map()
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
   * start transaction isolation level serializable; set local search_path to "tenant_acme_corp", "public"
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
    const cached = this.#scopes.get(slug)
    if (cached) return cached
    void this.#listener?.start()
    const schema = slugToSchemaName(slug, { prefix: this.#tenancy.schemaPrefix }) // INVALID_SLUG
    const driver = new TenantScopeDriver(this.#shared, {
      searchPath: formatSearchPath([schema, ...this.#tenancy.sharedSchemas]),
      checkAccess: () => this.#checkAccess(slug, schema),
      // A destroyed instance refuses every query: make sure the next call builds a new one.
      onDestroy: () => {
        if (this.#scopes.get(slug) === scoped) this.#scopes.delete(slug)
      },
    })
    const plugin = new TenantSchemaPlugin(schema, this.#config.sharedTables)
    const scoped = new Kysely<DB>(kyselyConfig(this.#config, () => driver, [plugin]))
    if (this.#scopes.size >= (this.#config.scopeCacheSize ?? DEFAULT_SCOPE_CACHE_SIZE)) {
      // Oldest first out. Dropping an instance is harmless: it owns nothing but its schema.
      const oldest = this.#scopes.keys().next()
      if (!oldest.done) this.#scopes.delete(oldest.value)
    }
    this.#scopes.set(slug, scoped)
    return scoped
  }

  #checkAccess(slug: string, schema: string): Promise<void> | undefined {
    const cached = this.#statuses.fresh(slug)
    if (cached) return assertEntry(slug, schema, cached.entry) // no await on the hot path
    return this.#statuses.get(slug).then((entry) => assertEntry(slug, schema, entry))
  }
}

function assertEntry(
  slug: string,
  schema: string,
  entry: TenantStatusEntry | undefined,
): undefined {
  assertTenantAccess(slug, entry?.status)
  if (entry && entry.schemaName !== schema) {
    // The registry is the truth; a different derivation here means a misconfigured prefix,
    // and guessing would put the queries in the wrong schema.
    throw new TenantError(
      'VALIDATION_FAILED',
      `tenant ${JSON.stringify(slug)} lives in schema ${JSON.stringify(entry.schemaName)}, but this TenantKysely derives ${JSON.stringify(schema)}: check tenancy.schemaPrefix`,
      { details: { slug, registered: entry.schemaName, derived: schema } },
    )
  }
  return undefined
}

function kyselyConfig(
  config: TenantKyselyConfig,
  createDriver: () => SharedDriver | TenantScopeDriver,
  extraPlugins: TenantSchemaPlugin[],
): KyselyConfig {
  return {
    dialect: withDriver(config.dialect, createDriver),
    // Ours last: it must see table names as the user's plugins leave them.
    plugins: [...(config.plugins ?? []), ...extraPlugins],
    ...(config.log === undefined ? {} : { log: config.log }),
  }
}
