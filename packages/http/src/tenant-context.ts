import { AsyncLocalStorage } from 'node:async_hooks'
import type { Kysely } from 'kysely'

/** The tenant a request is for, as `resolveTenant` found it. */
export interface TenantContext<DB = any> {
  readonly slug: string
  /** The `Kysely` scoped to the tenant: `db.withTenant(slug)`. */
  readonly db: Kysely<DB>
}

// One store for the process: contexts nest and unwind with the async call stack, so
// concurrent requests never see each other's tenant.
const storage = new AsyncLocalStorage<TenantContext>()

/**
 * The tenant of the request being handled, from anywhere in its call stack (a repository,
 * a logger, an audit hook), or `undefined` outside a tenant-scoped request.
 *
 * ### Examples
 *
 * ```ts
 * async function recentOrders() {
 *   const tenant = currentTenant<Database>()
 *   if (!tenant) throw new Error('recentOrders needs a tenant-scoped request')
 *   return tenant.db.selectFrom('orders').selectAll().limit(10).execute()
 * }
 * ```
 */
export function currentTenant<DB = any>(): TenantContext<DB> | undefined {
  return storage.getStore() as TenantContext<DB> | undefined
}

/**
 * Runs `fn` with `context` as the current tenant: what `resolveTenant` does around the rest
 * of the request. Use it for work outside HTTP (a job, a script) that calls the same code.
 *
 * ### Examples
 *
 * ```ts
 * async function recentOrders() {
 *   const tenant = currentTenant<Database>()
 *   if (!tenant) throw new Error('recentOrders needs a tenant')
 *   return tenant.db.selectFrom('orders').selectAll().limit(10).execute()
 * }
 *
 * // a nightly job, outside HTTP, running the code the routes run
 * await runWithTenant({ slug: 'acme-corp', db: db.withTenant('acme-corp') }, () => recentOrders())
 * ```
 */
export function runWithTenant<T>(context: TenantContext, fn: () => T): T {
  return storage.run(Object.freeze({ ...context }), fn)
}
