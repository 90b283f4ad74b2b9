import {
  TENANT_TRANSITIONS,
  type TenantAction,
  TenantError,
  type TenantSettings,
  type TenantStatus,
} from '@kysely-tenant/core'
import { type Kysely, sql, type Updateable } from 'kysely'
import { DEFAULT_CONTROL_SCHEMA, TENANT_CHANGE_CHANNEL } from '../tenancy-options.js'
import { isUniqueViolation } from './postgres-error.js'
import { type RegistryDatabase, type Tenant, type TenantsTable, toTenant } from './tenant-record.js'

/** A page of tenants and the cursor of the next one (`null` on the last page). */
export interface TenantPage {
  readonly tenants: readonly Tenant[]
  readonly nextCursor: string | null
}

/** Filters and page of `TenantService.list`. */
export interface TenantListQuery {
  readonly status?: TenantStatus
  /** Matches slugs and names containing this text, case-insensitively. */
  readonly search?: string
  /** At most this many tenants; defaults to 50, at most 500. */
  readonly limit?: number
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string
}

const DEFAULT_PAGE_SIZE = 50
const MAX_PAGE_SIZE = 500

// The timestamp columns each status change sets or clears.
const STAMPS: Partial<Record<TenantAction, Updateable<TenantsTable>>> = {
  suspend: { suspended_at: sql<Date>`now()` as never },
  activate: { suspended_at: null },
  delete: { deleted_at: sql<Date>`now()` as never },
}

/**
 * The tenant registry: the `tenants` table in the control schema. It only reads and writes
 * rows; which changes are allowed is decided by `@kysely-tenant/core` and carried out by
 * `TenantService`. Every statement is schema-qualified with the control schema.
 */
export class TenantRegistry {
  readonly #db: Kysely<RegistryDatabase>

  /** @param controlSchema The schema of the `tenants` table. Defaults to `public`. */
  constructor(db: Kysely<any>, controlSchema: string = DEFAULT_CONTROL_SCHEMA) {
    this.#db = (db as Kysely<RegistryDatabase>).withSchema(controlSchema)
  }

  /**
   * Inserts a new active tenant. The database's UNIQUE constraints decide between
   * concurrent creates of one slug: the loser gets `SLUG_TAKEN`, never a second row.
   */
  async insert(row: { slug: string; name: string; schemaName: string; settings: TenantSettings }) {
    try {
      const inserted = await this.#db
        .insertInto('tenants')
        .values({
          slug: row.slug,
          name: row.name,
          schema_name: row.schemaName,
          settings: JSON.stringify(row.settings),
        })
        .returningAll()
        .executeTakeFirstOrThrow()
      return toTenant(inserted)
    } catch (error) {
      if (
        isUniqueViolation(error, 'tenants_slug_key') ||
        isUniqueViolation(error, 'tenants_schema_name_key')
      ) {
        throw new TenantError('SLUG_TAKEN', `tenant slug ${JSON.stringify(row.slug)} is taken`, {
          details: { slug: row.slug },
          cause: error,
        })
      }
      throw error
    }
  }

  /** The tenant with `slug`, or `undefined`. With `forUpdate`, locks its row until commit. */
  async find(slug: string, options: { forUpdate?: boolean } = {}): Promise<Tenant | undefined> {
    let query = this.#db.selectFrom('tenants').selectAll().where('slug', '=', slug)
    if (options.forUpdate) query = query.forUpdate()
    const row = await query.executeTakeFirst()
    return row && toTenant(row)
  }

  /** Status and schema of `slug`: what `withTenant` needs to decide on access. */
  async lookup(slug: string): Promise<{ status: TenantStatus; schemaName: string } | undefined> {
    return this.#db
      .selectFrom('tenants')
      .select(['status', 'schema_name as schemaName'])
      .where('slug', '=', slug)
      .executeTakeFirst()
  }

  /** Lists tenants ordered by slug, a page at a time (keyset pagination on the slug). */
  async list(query: TenantListQuery = {}): Promise<TenantPage> {
    const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE)
    let select = this.#db
      .selectFrom('tenants')
      .selectAll()
      .orderBy('slug')
      .limit(limit + 1)
    if (query.status !== undefined) select = select.where('status', '=', query.status)
    if (query.cursor !== undefined) select = select.where('slug', '>', query.cursor)
    if (query.search !== undefined && query.search !== '') {
      const pattern = `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
      select = select.where((eb) =>
        eb.or([eb('slug', 'ilike', pattern), eb('name', 'ilike', pattern)]),
      )
    }
    const rows = await select.execute()
    const page = rows.slice(0, limit).map(toTenant)
    const nextCursor = rows.length > limit ? (page.at(-1)?.slug ?? null) : null
    return { tenants: page, nextCursor }
  }

  /** Updates name and/or settings; `undefined` when there is no such tenant. */
  async update(slug: string, change: { name?: string; settings?: TenantSettings }) {
    const row = await this.#db
      .updateTable('tenants')
      .set({
        ...(change.name !== undefined && { name: change.name }),
        ...(change.settings !== undefined && { settings: JSON.stringify(change.settings) }),
        updated_at: sql<Date>`now()` as never,
      })
      .where('slug', '=', slug)
      .returningAll()
      .executeTakeFirst()
    return row && toTenant(row)
  }

  /**
   * Moves a tenant to `to` in ONE statement, only if its status is one `action` starts from,
   * and announces the change on the NOTIFY channel in the same statement (delivered at
   * commit). `undefined` when no row matched: unknown tenant or a status that forbids it.
   */
  async setStatus(
    slug: string,
    action: TenantAction,
    to: TenantStatus,
  ): Promise<Tenant | undefined> {
    const row = await this.#db
      .with('changed', (db) =>
        db
          .updateTable('tenants')
          .set({ status: to, updated_at: sql<Date>`now()` as never, ...STAMPS[action] })
          .where('slug', '=', slug)
          .where('status', 'in', TENANT_TRANSITIONS[action].from)
          .returningAll(),
      )
      .selectFrom('changed')
      .selectAll()
      .select(sql<string>`pg_notify(${TENANT_CHANGE_CHANNEL}, changed.slug)`.as('notified'))
      .executeTakeFirst()
    return row && toTenant(row)
  }

  /** Marks `slug` provisioned (inside the provisioning transaction). */
  async markProvisioned(slug: string): Promise<Tenant> {
    const row = await this.#db
      .updateTable('tenants')
      .set({
        status: 'provisioned',
        provisioned_at: sql<Date>`now()` as never,
        updated_at: sql<Date>`now()` as never,
      })
      .where('slug', '=', slug)
      .returningAll()
      .executeTakeFirstOrThrow()
    return toTenant(row)
  }

  /** Deletes the row of `slug` (purge); its slug and schema name are free again. */
  async remove(slug: string): Promise<void> {
    await this.#db.deleteFrom('tenants').where('slug', '=', slug).execute()
  }

  /** Announces a change of `slug` to every process; delivered when the transaction commits. */
  async notify(slug: string): Promise<void> {
    await sql`select pg_notify(${TENANT_CHANGE_CHANNEL}, ${slug})`.execute(this.#db)
  }
}
