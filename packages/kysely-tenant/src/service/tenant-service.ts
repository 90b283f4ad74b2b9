import {
  assertTransition,
  assertValidSlug,
  isNoopTransition,
  type NewTenantInput,
  slugToSchemaName,
  TENANT_TRANSITIONS,
  TenantError,
  type TenantStatus,
  type TenantUpdateInput,
  validateNewTenant,
  validateTenantUpdate,
} from '@kysely-tenant/core'
import { type Kysely, sql } from 'kysely'
import { applyTenantMigrations } from '../migration/apply-tenant-migrations.js'
import { lockTenantMigrations } from '../migration/migration-lock.js'
import type { TenantMigration, TenantMigrationProvider } from '../migration/tenant-migration.js'
import type { Tenant } from '../registry/tenant-record.js'
import {
  type TenantListQuery,
  type TenantPage,
  TenantRegistry,
} from '../registry/tenant-registry.js'
import {
  type ResolvedTenancyOptions,
  resolveTenancyOptions,
  type TenancyOptions,
} from '../tenancy-options.js'
import { type TenantEventName, TenantEvents } from './tenant-events.js'

// The actions that only change the status column (provision and purge do more).
type StatusAction = 'suspend' | 'activate' | 'delete'

/** Options of `TenantService`: the shared `TenancyOptions` plus the tenant migrations. */
export interface TenantServiceOptions extends TenancyOptions {
  /**
   * The per-tenant migrations every new schema gets at provisioning, e.g. a Kysely
   * `FileMigrationProvider` on `migrations/tenant`. Asked for every provision. Without it,
   * provisioning creates the schema and its (empty) ledger only.
   */
  readonly migrations?: TenantMigrationProvider
  /** See `planMigrations` in `@kysely-tenant/core`. Defaults to `false`. */
  readonly allowUnorderedMigrations?: boolean
  /** Receives errors thrown by event listeners. Defaults to `console.error`. */
  readonly onListenerError?: (error: unknown) => void
}

/** What `purge` needs, so that a schema is never dropped by a slip of the finger. */
export interface PurgeConfirmation {
  /** Must equal the slug of the tenant being purged. */
  readonly confirm: string
}

/**
 * The tenant service (the seed's `:boundary/tenant-service`): creates tenants and moves
 * them through their lifecycle. Every method returns the tenant as stored, or throws a
 * `TenantError` with a stable code. Decisions come from `@kysely-tenant/core`; the
 * database enforces uniqueness and row locks serialise concurrent changes of one tenant.
 *
 * ### Examples
 *
 * ```ts
 * import { FolderMigrationProvider, TenantService } from 'kysely-tenant'
 *
 * const service = new TenantService(db, {
 *   migrations: new FolderMigrationProvider('migrations/tenant'),
 * })
 * await service.create({ name: 'ACME Corp', slug: 'acme-corp' }) // status: active
 * await service.provision('acme-corp') // schema tenant_acme_corp, migrated
 * await service.suspend('acme-corp') // access refused, data kept
 * ```
 */
export class TenantService {
  /** Subscribe here to created, updated, provisioned, suspended, activated, deleted, purged. */
  readonly events: TenantEvents
  readonly #db: Kysely<any>
  readonly #options: ResolvedTenancyOptions
  readonly #registry: TenantRegistry
  readonly #provider: TenantMigrationProvider | undefined
  readonly #allowUnorderedMigrations: boolean

  constructor(db: Kysely<any>, options: TenantServiceOptions = {}) {
    this.#db = db
    this.#options = resolveTenancyOptions(options)
    this.#registry = new TenantRegistry(db, this.#options.controlSchema)
    this.#provider = options.migrations
    this.#allowUnorderedMigrations = options.allowUnorderedMigrations ?? false
    this.events = new TenantEvents(options.onListenerError)
  }

  /** Creates an active tenant (no schema yet). `SLUG_TAKEN` while any row holds the slug. */
  async create(input: NewTenantInput): Promise<Tenant> {
    const { name, slug, settings } = validateNewTenant(input)
    const schemaName = slugToSchemaName(slug, { prefix: this.#options.schemaPrefix })
    const { controlSchema, sharedSchemas } = this.#options
    if (schemaName === controlSchema || sharedSchemas.includes(schemaName)) {
      // Its data would live in a schema every tenant shares, and purge would drop it.
      throw new TenantError(
        'VALIDATION_FAILED',
        `invalid tenant input: slug ${JSON.stringify(slug)} maps to schema ${JSON.stringify(schemaName)}, which is a shared schema`,
        { details: [{ field: 'slug', message: `maps to the shared schema ${schemaName}` }] },
      )
    }
    const tenant = await this.#registry.insert({ slug, name, schemaName, settings })
    return this.#emit('created', tenant)
  }

  /** The tenant with `slug`; `TENANT_NOT_FOUND` when there is none. */
  async get(slug: string): Promise<Tenant> {
    return (await this.#registry.find(assertValidSlug(slug))) ?? notFound(slug)
  }

  /** Tenants ordered by slug, filtered by status and search text, a page at a time. */
  list(query: TenantListQuery = {}): Promise<TenantPage> {
    return this.#registry.list(query)
  }

  /** Changes a tenant's name and/or settings. */
  async update(slug: string, input: TenantUpdateInput): Promise<Tenant> {
    assertValidSlug(slug)
    const change = validateTenantUpdate(input)
    const tenant = (await this.#registry.update(slug, change)) ?? notFound(slug)
    return this.#emit('updated', tenant)
  }

  /**
   * Creates the tenant's schema and applies every tenant migration, all in ONE transaction
   * that holds the tenant's row lock: any failure rolls everything back (no schema, no
   * ledger rows, status still active) and nothing is ever dropped to clean up. A
   * provisioned tenant is returned unchanged, so concurrent calls all succeed.
   */
  async provision(slug: string): Promise<Tenant> {
    assertValidSlug(slug)
    const migrations = await this.#loadMigrations()
    const { tenant, changed } = await this.#db.transaction().execute(async (trx) => {
      const registry = new TenantRegistry(trx, this.#options.controlSchema)
      const current = (await registry.find(slug, { forUpdate: true })) ?? notFound(slug)
      if (isNoopTransition(current.status, 'provision')) return { tenant: current, changed: false }
      assertTransition(slug, current.status, 'provision')
      await applyTenantMigrations(trx, {
        schemaName: current.schemaName,
        migrations,
        controlSchema: this.#options.controlSchema,
        sharedSchemas: this.#options.sharedSchemas,
        allowUnorderedMigrations: this.#allowUnorderedMigrations,
        createSchema: true,
      })
      await registry.notify(slug)
      return { tenant: await registry.markProvisioned(slug), changed: true }
    })
    return changed ? this.#emit('provisioned', tenant) : tenant
  }

  /** provisioned -> suspended: access refused everywhere within the cache's reach, data kept. */
  suspend(slug: string): Promise<Tenant> {
    return this.#move(slug, 'suspend', 'suspended')
  }

  /** suspended -> provisioned. */
  activate(slug: string): Promise<Tenant> {
    return this.#move(slug, 'activate', 'activated')
  }

  /** Soft delete: access refused, schema and data kept, slug still taken until `purge`. */
  delete(slug: string): Promise<Tenant> {
    return this.#move(slug, 'delete', 'deleted')
  }

  /**
   * The seed's "deprovision": drops the schema of a DELETED tenant with everything in it and
   * removes its row, freeing the slug. Asks for `{ confirm: slug }`.
   */
  async purge(slug: string, confirmation: PurgeConfirmation): Promise<Tenant> {
    assertValidSlug(slug)
    if (confirmation?.confirm !== slug) {
      throw new TenantError(
        'CONFIRMATION_REQUIRED',
        `purging tenant ${JSON.stringify(slug)} drops its schema and data: pass { confirm: ${JSON.stringify(slug)} }`,
        { details: { slug } },
      )
    }
    const tenant = await this.#db.transaction().execute(async (trx) => {
      const registry = new TenantRegistry(trx, this.#options.controlSchema)
      const seen = (await registry.find(slug)) ?? notFound(slug)
      // Wait for a running migration of this schema rather than drop it under it (and take
      // the lock before the row lock, the migrator's order, so the two cannot deadlock).
      await lockTenantMigrations(trx, seen.schemaName)
      const current = (await registry.find(slug, { forUpdate: true })) ?? notFound(slug)
      assertTransition(slug, current.status, 'purge')
      // Only a schema this tenant created is dropped: a tenant deleted before it was ever
      // provisioned owns no schema, and a schema of that name (left over, made by hand)
      // belongs to someone else. Provisioning never adopts an existing schema either.
      if (current.provisionedAt !== null) {
        await sql`drop schema if exists ${sql.id(current.schemaName)} cascade`.execute(trx)
      }
      await registry.remove(slug)
      await registry.notify(slug)
      return current
    })
    return this.#emit('purged', tenant)
  }

  async #move(slug: string, action: StatusAction, event: TenantEventName): Promise<Tenant> {
    assertValidSlug(slug)
    const to = TENANT_TRANSITIONS[action].to as TenantStatus
    const moved = await this.#registry.setStatus(slug, action, to)
    if (moved) return this.#emit(event, moved)
    // Nothing matched: say why, from the row as it is now.
    const current = (await this.#registry.find(slug)) ?? notFound(slug)
    assertTransition(slug, current.status, action)
    // The status allowed it after all: it changed concurrently; report the race plainly.
    throw new TenantError(
      'INVALID_TRANSITION',
      `cannot ${action} tenant ${JSON.stringify(slug)}: its status changed concurrently`,
      { details: { slug, action } },
    )
  }

  #emit(event: TenantEventName, tenant: Tenant): Tenant {
    this.events.emit(event, tenant)
    return tenant
  }

  // Asked afresh for every provision: a long-lived process (an admin API during a rolling
  // deploy) must give a new tenant the migrations that exist now, not those of its start.
  #loadMigrations(): Promise<Record<string, TenantMigration>> {
    return this.#provider ? this.#provider.getMigrations() : Promise.resolve({})
  }
}

function notFound(slug: string): never {
  throw new TenantError('TENANT_NOT_FOUND', `tenant ${JSON.stringify(slug)} does not exist`, {
    details: { slug },
  })
}
