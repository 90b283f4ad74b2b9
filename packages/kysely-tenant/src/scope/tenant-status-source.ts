import type { TenantStatus } from '@kysely-tenant/core'

/** What `withTenant` needs to know about a tenant: its state and the schema it lives in. */
export interface TenantStatusEntry {
  readonly status: TenantStatus
  readonly schemaName: string
}

/**
 * Where `TenantKysely` looks up a tenant's status. `TenantRegistry` implements it; any object
 * with a `lookup` method will do (a test double, a read replica, a cache in Redis).
 *
 * Lookups are cached by `TenantKysely` (see `statusCacheTtlMs`), so `lookup` runs about once
 * per tenant per TTL per process, not once per query.
 *
 * ### Examples
 *
 * ```ts
 * const statusSource: TenantStatusSource = {
 *   async lookup(slug) {
 *     const row = await db
 *       .selectFrom('tenants')
 *       .select(['status', 'schema_name'])
 *       .where('slug', '=', slug)
 *       .executeTakeFirst()
 *     return row && { status: row.status, schemaName: row.schema_name }
 *   },
 * }
 * ```
 */
export interface TenantStatusSource {
  /** The tenant's status and schema, or `undefined` when no tenant has this slug. */
  lookup(slug: string): Promise<TenantStatusEntry | undefined>
}
