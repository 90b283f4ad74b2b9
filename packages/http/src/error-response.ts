import { isTenantError, type TenantErrorCode } from '@kysely-tenant/core'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { HttpLogger } from './http-logger.js'

/** The codes the HTTP layer adds to `TenantErrorCode` for problems of the request itself. */
export type HttpErrorCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'MALFORMED_JSON'
  | 'INVALID_QUERY'
  | 'TENANT_REQUIRED'
  | 'NOT_CONFIGURED'
  | 'INTERNAL_ERROR'

/**
 * The one error shape of every response the HTTP layer sends:
 * `{ "error": { "code", "message", "details"? } }`. Clients branch on `code`, which never
 * changes meaning; `details` lists field problems for `VALIDATION_FAILED`.
 */
export interface ErrorBody {
  readonly error: {
    readonly code: TenantErrorCode | HttpErrorCode
    readonly message: string
    readonly details?: unknown
  }
}

// The status of each TenantError code. Codes of the migration engine are absent on purpose:
// their messages carry SQL and PostgreSQL errors, so they are answered as a plain 500.
const STATUS_OF: Partial<Record<TenantErrorCode, ContentfulStatusCode>> = {
  INVALID_SLUG: 400,
  VALIDATION_FAILED: 400,
  CONFIRMATION_REQUIRED: 400,
  TENANT_NOT_FOUND: 404,
  SLUG_TAKEN: 409,
  INVALID_TRANSITION: 409,
  TENANT_NOT_PROVISIONED: 409,
  TENANT_SUSPENDED: 403,
  TENANT_DELETED: 404,
}

/**
 * The HTTP status of a `TenantError` code, or `undefined` for codes that must not reach a
 * client (migration failures, misconfiguration): those become a 500.
 *
 * ### Examples
 *
 * ```ts
 * tenantErrorStatus('TENANT_SUSPENDED') // 403
 * tenantErrorStatus('MIGRATION_FAILED') // undefined
 * ```
 */
export function tenantErrorStatus(code: TenantErrorCode): ContentfulStatusCode | undefined {
  return STATUS_OF[code]
}

/**
 * A JSON error response in the one shape. `details` is left out when `undefined`.
 *
 * ### Examples
 *
 * ```ts
 * app.get('/api/reports', (c) =>
 *   errorResponse(404, 'NOT_FOUND', 'no reports yet'),
 * ) // 404 {"error":{"code":"NOT_FOUND","message":"no reports yet"}}
 * ```
 */
export function errorResponse(
  status: ContentfulStatusCode,
  code: ErrorBody['error']['code'],
  message: string,
  details?: unknown,
  headers?: Record<string, string>,
): Response {
  const body: ErrorBody = {
    error: { code, message, ...(details === undefined ? {} : { details }) },
  }
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  })
}

/**
 * Turns anything thrown by a route into a response: a `TenantError` with a client-facing code
 * keeps its code, message and details; everything else is logged through `logger` and
 * answered with a bare 500, so SQL, stacks and connection strings never leave the server.
 *
 * ### Examples
 *
 * ```ts
 * const app = new Hono<TenantEnv<Database>>()
 * app.onError(tenantErrorHandler(CONSOLE_LOGGER))
 * app.use('/api/*', resolveTenant({ db, from: fromHeader() }))
 * app.get('/api/orders', async (c) =>
 *   c.json(await c.get('tenantDb').selectFrom('orders').selectAll().execute()),
 * )
 * ```
 */
export function tenantErrorHandler(logger: HttpLogger): (error: Error, c: Context) => Response {
  return (error, c) => toErrorResponse(error, logger, `${c.req.method} ${c.req.path}`)
}

/**
 * What `tenantErrorHandler` does, for code outside Hono's `onError`; `where` names the request
 * in the log line.
 *
 * ### Examples
 *
 * ```ts
 * app.get('/my/tenants/:slug', async (c) => {
 *   try {
 *     return c.json(tenantToJson(await tenants.get(c.req.param('slug'))))
 *   } catch (error) {
 *     // 404 TENANT_NOT_FOUND, or a bare 500 (logged)
 *     return toErrorResponse(error, CONSOLE_LOGGER, 'GET /my/tenants/:slug')
 *   }
 * })
 * ```
 */
export function toErrorResponse(error: unknown, logger: HttpLogger, where: string): Response {
  if (isTenantError(error)) {
    const status = tenantErrorStatus(error.code)
    if (status !== undefined) return errorResponse(status, error.code, error.message, error.details)
  }
  if (error instanceof HttpError) return error.response
  // Hono's own middleware (and yours) may throw these; they carry a deliberate response.
  if (error instanceof HTTPException && error.status < 500) return error.getResponse()
  logger.error(`kysely-tenant http: unexpected error in ${where}`, error)
  return errorResponse(500, 'INTERNAL_ERROR', 'internal server error')
}

/**
 * An error that already knows its response (a 415 or a malformed body found deep in a route),
 * thrown to end the request early; `tenantErrorHandler` sends its `response`.
 *
 * ### Examples
 *
 * ```ts
 * app.onError(tenantErrorHandler(CONSOLE_LOGGER)) // sends the HttpError's response
 * app.get('/api/orders', async (c) => {
 *   if (!c.req.header('x-request-id')) {
 *     throw new HttpError(400, 'INVALID_QUERY', 'x-request-id is required')
 *   }
 *   return c.json(await c.get('tenantDb').selectFrom('orders').selectAll().execute())
 * })
 * ```
 */
export class HttpError extends Error {
  readonly response: Response

  constructor(
    status: ContentfulStatusCode,
    code: HttpErrorCode,
    message: string,
    details?: unknown,
  ) {
    super(message)
    this.name = 'HttpError'
    this.response = errorResponse(status, code, message, details)
  }
}
