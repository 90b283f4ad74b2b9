import { isTenantError, isValidSlug, type TenantErrorCode } from '@kysely-tenant/core'
import type { MiddlewareHandler } from 'hono'
import type { Kysely } from 'kysely'
import type { TenantKysely } from 'kysely-tenant'
import { errorResponse, toErrorResponse } from './error-response.js'
import { CONSOLE_LOGGER, type HttpLogger } from './http-logger.js'
import { runWithTenant } from './tenant-context.js'
import type { TenantSlugSource } from './tenant-slug-source.js'

/** What `resolveTenant` puts on the Hono context: type your app with it. */
export interface TenantEnv<DB> {
  Variables: {
    /** The slug of the request's tenant. */
    tenant: string
    /** The `Kysely` scoped to that tenant. */
    tenantDb: Kysely<DB>
  }
}

/** The settings of `resolveTenant`. */
export interface TenantResolutionOptions<DB> {
  /** Your `TenantKysely`: its `withTenant(slug)` scopes and checks the tenant. */
  readonly db: Pick<TenantKysely<DB>, 'withTenant' | 'checkTenant'>
  /** Where the slug comes from; several sources are tried in order. */
  readonly from: TenantSlugSource | readonly TenantSlugSource[]
  /**
   * When the tenant's status is checked:
   * - `'before-route'` (the default): before the route runs, so even a route that runs no
   *   query is refused. Costs no query and no connection while the status is cached
   *   (`TenantKysely.checkTenant`).
   * - `'first-query'`: by `TenantKysely` itself when the route's first query asks for a
   *   connection; the refusal is answered with the same status and code. For hot routes that
   *   always query; set `app.onError(tenantErrorHandler(logger))` too, or Hono's default
   *   handler logs every refusal before this middleware rewrites the response.
   */
  readonly check?: 'before-route' | 'first-query'
  /** Where unexpected errors (the 500s) are logged. Defaults to `console.error`. */
  readonly logger?: HttpLogger
}

// What a refused tenant looks like to the client. A deleted tenant reads as unknown, so the
// end users of a SaaS cannot tell a closed account from a slug that never existed.
const REFUSED: Partial<
  Record<TenantErrorCode, readonly [403 | 404 | 409, TenantErrorCode, string]>
> = {
  TENANT_NOT_FOUND: [404, 'TENANT_NOT_FOUND', 'does not exist'],
  TENANT_DELETED: [404, 'TENANT_NOT_FOUND', 'does not exist'],
  TENANT_NOT_PROVISIONED: [409, 'TENANT_NOT_PROVISIONED', 'is not provisioned yet'],
  TENANT_SUSPENDED: [403, 'TENANT_SUSPENDED', 'is suspended'],
}

/**
 * Hono middleware for your own routes: finds the tenant's slug (subdomain, `X-Tenant`, a path
 * parameter or your function), checks the tenant BEFORE the route runs, and hands the route
 * the scoped db as `c.get('tenantDb')` (and the slug as `c.get('tenant')`); code deeper in
 * the call stack gets both from `currentTenant()`.
 *
 * | request | answer |
 * |---|---|
 * | no slug from any source | 400 `TENANT_REQUIRED` |
 * | invalid slug (`ACME`, `a.b`, `x'; drop ...`) | 404 `TENANT_NOT_FOUND`: no tenant can have it |
 * | unknown or deleted tenant | 404 `TENANT_NOT_FOUND` |
 * | active (not provisioned) tenant | 409 `TENANT_NOT_PROVISIONED` |
 * | suspended tenant | 403 `TENANT_SUSPENDED` |
 *
 * The check is `TenantKysely`'s own (its status cache, invalidated at once by `invalidateTenant`
 * and LISTEN/NOTIFY): by default the middleware asks `db.checkTenant(slug)` before the route
 * runs, which answers from the cache without a query or a connection (see `check`). A tenant
 * suspended while a request runs is refused by its next query; that error is answered the
 * same way.
 *
 * ### Examples
 *
 * ```ts
 * const app = new Hono<TenantEnv<Database>>()
 * app.use('/api/orders/*', resolveTenant({ db, from: [fromHeader(), fromSubdomain('example.com')] }))
 * app.get('/api/orders', async (c) => c.json(await c.get('tenantDb').selectFrom('orders').selectAll().execute()))
 * ```
 */
export function resolveTenant<DB>(
  options: TenantResolutionOptions<DB>,
): MiddlewareHandler<TenantEnv<DB>> {
  const sources = typeof options.from === 'function' ? [options.from] : [...options.from]
  const logger = options.logger ?? CONSOLE_LOGGER
  const beforeRoute = (options.check ?? 'before-route') === 'before-route'
  return async (c, next) => {
    const where = `${c.req.method} ${c.req.path}`
    let slug: string | undefined
    for (const source of sources) {
      slug = await source(c)
      if (slug !== undefined) break
    }
    if (slug === undefined) return errorResponse(400, 'TENANT_REQUIRED', 'no tenant given')
    if (!isValidSlug(slug)) return refused('TENANT_NOT_FOUND', slug, logger, where)
    const db = options.db.withTenant(slug)
    if (beforeRoute) {
      try {
        await options.db.checkTenant(slug)
      } catch (error) {
        return refused(error, slug, logger, where)
      }
    }
    c.set('tenant', slug)
    c.set('tenantDb', db)
    await runWithTenant({ slug, db }, next)
    // The route threw a refusal (the tenant changed mid-request): answer it like the check.
    if (c.error && isTenantError(c.error) && REFUSED[c.error.code]) {
      c.res = refused(c.error, slug, logger, where)
    }
  }
}

function refused(error: unknown, slug: string, logger: HttpLogger, where: string): Response {
  const code = typeof error === 'string' ? error : isTenantError(error) ? error.code : undefined
  const mapped = code === undefined ? undefined : REFUSED[code as TenantErrorCode]
  if (!mapped) return toErrorResponse(error, logger, where)
  const [status, shown, reason] = mapped
  // The slug is quoted only once known valid, so a hostile value is never echoed back.
  const who = isValidSlug(slug) ? `tenant ${JSON.stringify(slug)}` : 'tenant'
  return errorResponse(status, shown, `${who} ${reason}`)
}
