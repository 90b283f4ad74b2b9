import type { Env, Hono, MiddlewareHandler } from 'hono'
import { errorResponse } from './error-response.js'

/**
 * Answers every method a path does not route with 405 and an `Allow` header listing the ones
 * it does (HEAD comes with GET: Hono answers it from the GET route). Register it AFTER the
 * path's real routes: Hono tries handlers in registration order.
 *
 * ### Examples
 *
 * ```ts
 * import { validateNewTenant } from '@kysely-tenant/core'
 *
 * const app = new Hono()
 * const auth = adminAuth({ tokens: resolveAdminTokens(undefined) })
 * app.get('/api/tenants', auth, async (c) => c.json(tenantPageToJson(await tenants.list())))
 * app.post('/api/tenants', auth, async (c) =>
 *   c.json(tenantToJson(await tenants.create(validateNewTenant(await readJsonBody(c)))), 201),
 * )
 * methodNotAllowed(app, '/api/tenants', ['GET', 'POST'], auth) // PUT -> 405, Allow: GET, HEAD, POST
 * ```
 */
export function methodNotAllowed<E extends Env>(
  app: Hono<E>,
  path: string,
  methods: readonly string[],
  auth: MiddlewareHandler<E>,
): void {
  const allowed = methods.flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m])).join(', ')
  app.all(path, auth, (c) =>
    errorResponse(
      405,
      'METHOD_NOT_ALLOWED',
      `${c.req.method} is not allowed here; use ${allowed}`,
      { allowed: allowed.split(', ') },
      { allow: allowed },
    ),
  )
}
