import {
  assertTenantAccess,
  formatSearchPath,
  slugToSchemaName,
  TenantError,
} from '@kysely-tenant/core'
import { type Driver, Kysely, type KyselyConfig, type KyselyPlugin } from 'kysely'
import type { ResolvedTenancyOptions } from '../tenancy-options.js'
import type { SharedDriver } from './shared-driver.js'
import { DEFAULT_SCOPE_CACHE_SIZE, type TenantKyselyConfig } from './tenant-kysely-config.js'
import { TenantSchemaPlugin } from './tenant-schema-plugin.js'
import { TenantScopeDriver } from './tenant-scope-driver.js'
import type { TenantStatusCache } from './tenant-status-cache.js'
import type { TenantStatusEntry } from './tenant-status-source.js'
import { withDriver } from './with-driver.js'

/**
 * Builds and keeps the scoped instances of one `TenantKysely`: per tenant, a `Kysely` on a
 * `TenantScopeDriver` over the shared driver, with a `TenantSchemaPlugin`. At most
 * `scopeCacheSize` are kept, oldest out first; dropping one is harmless, since it owns
 * nothing but its schema name.
 */
export class TenantScopes<DB> {
  readonly #config: TenantKyselyConfig
  readonly #tenancy: ResolvedTenancyOptions
  readonly #shared: SharedDriver
  readonly #statuses: TenantStatusCache
  readonly #scopes = new Map<string, Kysely<DB>>()

  constructor(
    config: TenantKyselyConfig,
    tenancy: ResolvedTenancyOptions,
    shared: SharedDriver,
    statuses: TenantStatusCache,
  ) {
    this.#config = config
    this.#tenancy = tenancy
    this.#shared = shared
    this.#statuses = statuses
  }

  /** The scoped instance of `slug`; throws `INVALID_SLUG` for a malformed slug, before any I/O. */
  get(slug: string): Kysely<DB> {
    const cached = this.#scopes.get(slug)
    if (cached) return cached
    const schema = slugToSchemaName(slug, { prefix: this.#tenancy.schemaPrefix })
    const driver = new TenantScopeDriver(this.#shared, {
      schema,
      searchPath: formatSearchPath([schema, ...this.#tenancy.sharedSchemas]),
      checkAccess: () => this.#checkAccess(slug, schema),
      // A destroyed instance refuses every query: make sure the next call builds a new one.
      onDestroy: () => {
        if (this.#scopes.get(slug) === scoped) this.#scopes.delete(slug)
      },
    })
    const plugin = new TenantSchemaPlugin(schema, this.#config.sharedTables)
    const scoped = new Kysely<DB>(kyselyConfig(this.#config, driver, [plugin]))
    if (this.#scopes.size >= (this.#config.scopeCacheSize ?? DEFAULT_SCOPE_CACHE_SIZE)) {
      const oldest = this.#scopes.keys().next()
      if (!oldest.done) this.#scopes.delete(oldest.value)
    }
    this.#scopes.set(slug, scoped)
    return scoped
  }

  /**
   * Resolves when `slug` may be accessed; rejects with its `TenantError` otherwise
   * (`INVALID_SLUG` at once, before any I/O). A fresh cached status costs no I/O.
   */
  async check(slug: string): Promise<void> {
    await this.#checkAccess(slug, slugToSchemaName(slug, { prefix: this.#tenancy.schemaPrefix }))
  }

  clear(): void {
    this.#scopes.clear()
  }

  #checkAccess(slug: string, schema: string): Promise<void> | undefined {
    const cached = this.#statuses.fresh(slug)
    if (cached) return assertEntry(slug, schema, cached.entry) // no await on the hot path
    return this.#statuses.get(slug).then((entry) => assertEntry(slug, schema, entry))
  }
}

/** The `KyselyConfig` of an instance on `driver`, with the user's plugins, then `extra`. */
export function kyselyConfig(
  config: TenantKyselyConfig,
  driver: Driver,
  extra: readonly KyselyPlugin[] = [],
): KyselyConfig {
  return {
    dialect: withDriver(config.dialect, () => driver),
    // Ours last: it must see table names as the user's plugins leave them.
    plugins: [...(config.plugins ?? []), ...extra],
    ...(config.log === undefined ? {} : { log: config.log }),
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
      'MISCONFIGURED',
      `tenant ${JSON.stringify(slug)} lives in schema ${JSON.stringify(entry.schemaName)}, but this TenantKysely derives ${JSON.stringify(schema)}: check tenancy.schemaPrefix`,
      { details: { slug, registered: entry.schemaName, derived: schema } },
    )
  }
  return undefined
}
