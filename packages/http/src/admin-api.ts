import { type Context, Hono } from 'hono'
import type { TenantService } from 'kysely-tenant'
import { adminAuth, resolveAdminTokens } from './admin-auth.js'
import { errorResponse, tenantErrorHandler } from './error-response.js'
import { CONSOLE_LOGGER, type HttpLogger } from './http-logger.js'
import { DEFAULT_BODY_LIMIT_BYTES, jsonBodyLimit, readJsonBody } from './json-body.js'
import { methodNotAllowed } from './method-not-allowed.js'
import type { TenantMigrationStatusReader } from './migration-status.js'
import { readPurgeConfirmation } from './purge-confirmation.js'
import { tenantPageToJson, tenantToJson } from './tenant-json.js'
import { parseTenantListQuery } from './tenant-list-query.js'

/** The settings of `createAdminApi`; only `tenants` is required (tokens may come from env). */
export interface AdminApiOptions {
  /** The service every route calls: nothing here touches the database directly. */
  readonly tenants: TenantService
  /**
   * Accepted bearer tokens, each at least 16 characters. Defaults to the comma-separated
   * `KYSELY_TENANT_ADMIN_TOKENS` environment variable; with neither, `createAdminApi` throws.
   */
  readonly adminTokens?: readonly string[]
  /**
   * Let `POST /api/tenants` through without a token (the seed's sign-up): it creates an
   * active, unprovisioned tenant, from `name` and `slug` only (`settings` need a token: 403).
   * Every other route still needs a token. Defaults to `false`.
   */
  readonly openSignup?: boolean
  /** Bodies over this many bytes get 413 before they are read. Defaults to 128 KiB. */
  readonly bodyLimitBytes?: number
  /**
   * Answers `GET /api/tenants/:slug/migrations`, e.g. `ledgerMigrationStatus(...)`. Without
   * it that route answers 501 `NOT_CONFIGURED`.
   */
  readonly migrationStatus?: TenantMigrationStatusReader
  /** Where unexpected errors (the 500s) are logged. Defaults to `console.error`. */
  readonly logger?: HttpLogger
}

const TENANTS = '/api/tenants'
const TENANT = '/api/tenants/:slug'

/**
 * The admin REST API (the seed's HTTP API) as a Hono app: mount it anywhere, or use its
 * `fetch` as a web-standard handler. JSON in and out, camelCase fields, ISO 8601 timestamps,
 * every error in the one shape `{ "error": { "code", "message", "details"? } }`.
 *
 * | route | success | errors |
 * |---|---|---|
 * | `POST /api/tenants` `{ name, slug, settings? }` | 201 | 400, 409 slug taken |
 * | `GET /api/tenants?status&search&limit&cursor` | 200 `{ tenants, nextCursor }` | 400 |
 * | `GET / PATCH { name?, settings? } / DELETE /api/tenants/:slug` | 200 | 400, 404, 409 |
 * | `POST /api/tenants/:slug/provision`, `/suspend`, `/activate` | 200 | 400, 404, 409 |
 * | `POST /api/tenants/:slug/purge` `{ "confirm": "<slug>" }` | 200 | 400, 404, 409 |
 * | `GET /api/tenants/:slug/migrations` | 200 `{ applied, pending }` | 404, 501 |
 *
 * Every route answers 401 (no or malformed `Authorization: Bearer`), 403 (wrong token),
 * 405 (with `Allow`), 413 (body too large), 415 (not JSON) and 500 (logged, never detailed).
 * An invalid `:slug` (`..%2F`, `ACME`) is a 400 `INVALID_SLUG`.
 *
 * ### Examples
 *
 * ```ts
 * import { serve } from '@hono/node-server'
 * import { TenantService } from 'kysely-tenant'
 *
 * const app = new Hono()
 * app.route('/admin', createAdminApi({ tenants: new TenantService(db), adminTokens: [token] }))
 * serve({ fetch: app.fetch, port: 3000 }) // POST /admin/api/tenants, ...
 * ```
 */
export function createAdminApi(options: AdminApiOptions): Hono {
  const { tenants } = options
  const tokens = resolveAdminTokens(options.adminTokens)
  const logger = options.logger ?? CONSOLE_LOGGER
  const auth = adminAuth({ tokens })
  const signupAuth = adminAuth({ tokens, allowAnonymous: options.openSignup ?? false })
  const limit = jsonBodyLimit(options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES)
  const app = new Hono()
  app.onError(tenantErrorHandler(logger))
  app.notFound(() => errorResponse(404, 'NOT_FOUND', 'no such route'))

  app.post(TENANTS, signupAuth, limit, async (c) => {
    const input = await readJsonBody(c)
    // Only open sign-up lets a request without a token get here. It may name its tenant, but
    // settings (plan, limits, feature flags) are the operator's to set.
    if (c.req.header('authorization') === undefined && hasSettings(input)) {
      return errorResponse(403, 'FORBIDDEN', 'settings can only be set with an admin token')
    }
    return c.json(tenantToJson(await tenants.create(input as never)), 201)
  })
  app.get(TENANTS, auth, limit, async (c) => {
    const page = await tenants.list(parseTenantListQuery(c.req.queries()))
    return c.json(tenantPageToJson(page))
  })
  methodNotAllowed(app, TENANTS, ['GET', 'POST'], auth)

  app.get(TENANT, auth, limit, async (c) => c.json(tenantToJson(await tenants.get(slugOf(c)))))
  app.patch(TENANT, auth, limit, async (c) => {
    const change = (await readJsonBody(c)) as never
    return c.json(tenantToJson(await tenants.update(slugOf(c), change)))
  })
  app.delete(TENANT, auth, limit, async (c) =>
    c.json(tenantToJson(await tenants.delete(slugOf(c)))),
  )
  methodNotAllowed(app, TENANT, ['GET', 'PATCH', 'DELETE'], auth)

  for (const action of ['provision', 'suspend', 'activate'] as const) {
    app.post(`${TENANT}/${action}`, auth, limit, async (c) => {
      // These take no body; one that is sent must still be JSON, so a form post is a 415.
      await readJsonBody(c, true)
      return c.json(tenantToJson(await tenants[action](slugOf(c))))
    })
    methodNotAllowed(app, `${TENANT}/${action}`, ['POST'], auth)
  }

  app.post(`${TENANT}/purge`, auth, limit, async (c) => {
    const slug = slugOf(c)
    const confirm = readPurgeConfirmation(await readJsonBody(c, true))
    return c.json(tenantToJson(await tenants.purge(slug, { confirm })))
  })
  methodNotAllowed(app, `${TENANT}/purge`, ['POST'], auth)

  app.get(`${TENANT}/migrations`, auth, limit, async (c) => {
    const tenant = await tenants.get(slugOf(c))
    if (!options.migrationStatus) {
      return errorResponse(501, 'NOT_CONFIGURED', 'migration status is not configured')
    }
    return c.json(await options.migrationStatus(tenant))
  })
  methodNotAllowed(app, `${TENANT}/migrations`, ['GET'], auth)

  // Unknown paths in our namespace: 401 first (no probing without a token), then 404.
  app.all(`${TENANTS}/*`, auth, () => errorResponse(404, 'NOT_FOUND', 'no such route'))
  return app
}

function hasSettings(input: unknown): boolean {
  return typeof input === 'object' && input !== null && 'settings' in input
}

// Hono types the parameter per route; one helper reads it the same way everywhere.
function slugOf(c: Context): string {
  return c.req.param('slug') ?? ''
}
