import type { Context, MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { errorResponse, HttpError } from './error-response.js'

/**
 * The largest request body the admin API reads unless configured otherwise: 128 KiB. Tenant
 * settings may serialise to 64 KiB; twice that leaves room for escapes and the name.
 */
export const DEFAULT_BODY_LIMIT_BYTES = 128 * 1024

/**
 * Hono middleware refusing bodies over `maxBytes` with 413, by `Content-Length` when sent
 * and by counting the bytes of a chunked body otherwise, before anything parses it.
 *
 * ### Examples
 *
 * ```ts
 * app.post('/api/orders', jsonBodyLimit(16 * 1024), async (c) => c.json(await readJsonBody(c)))
 * ```
 */
export function jsonBodyLimit(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () =>
      errorResponse(413, 'PAYLOAD_TOO_LARGE', `the request body exceeds ${maxBytes} bytes`, {
        limitBytes: maxBytes,
      }),
  })
}

/**
 * Reads the request body as JSON. Throws an `HttpError`: 415 unless the content type is
 * `application/json` (or `application/*+json`), 400 `MALFORMED_JSON` for an empty or
 * unparsable body. Returns whatever JSON value was sent: validating its shape is the
 * caller's job (`validateNewTenant` lists every field problem).
 *
 * When `optional`, an empty body reads as `undefined` whatever its content type (clients
 * often send `Content-Type: application/json` on every request, body or not).
 *
 * ### Examples
 *
 * ```ts
 * import { TenantError } from '@kysely-tenant/core'
 *
 * function validateOrder(body: unknown): { total: number } {
 *   if (typeof body === 'object' && body !== null && 'total' in body) {
 *     if (typeof body.total === 'number') return { total: body.total }
 *   }
 *   throw new TenantError('VALIDATION_FAILED', 'total must be a number', {
 *     details: [{ field: 'total', message: 'must be a number' }],
 *   })
 * }
 *
 * app.post('/api/orders', async (c) => {
 *   const body = await readJsonBody(c) // 415 / 400 thrown as HttpError
 *   const order = await c.get('tenantDb')
 *     .insertInto('orders')
 *     .values(validateOrder(body))
 *     .returningAll()
 *     .executeTakeFirstOrThrow()
 *   return c.json(order, 201)
 * })
 * ```
 */
export async function readJsonBody(c: Context, optional = false): Promise<unknown> {
  const type = c.req.header('content-type')
  const text = await c.req.text()
  if (optional && text.trim() === '') return undefined
  if (type === undefined || !isJsonType(type)) {
    throw new HttpError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'the request body must be application/json',
      {
        contentType: type ?? null,
      },
    )
  }
  if (text.trim() === '') throw new HttpError(400, 'MALFORMED_JSON', 'the request body is empty')
  try {
    return JSON.parse(text)
  } catch (error) {
    // JSON.parse's message names the position only ("Unexpected token } in JSON at position
    // 12"), never the server's state, so it may go to the client.
    throw new HttpError(
      400,
      'MALFORMED_JSON',
      `the request body is not valid JSON: ${(error as Error).message}`,
    )
  }
}

function isJsonType(header: string): boolean {
  const mediaType = header.split(';')[0]?.trim().toLowerCase() ?? ''
  return mediaType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(mediaType)
}
