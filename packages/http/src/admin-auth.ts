import { createHash, timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'
import { errorResponse } from './error-response.js'

/** Admin tokens shorter than this are refused at start-up: they could be guessed. */
export const MIN_ADMIN_TOKEN_LENGTH = 16

/** The environment variable read when no `adminTokens` are given: comma-separated tokens. */
export const ADMIN_TOKENS_ENV = 'KYSELY_TENANT_ADMIN_TOKENS'

/** The settings of `adminAuth`. */
export interface AdminAuthOptions {
  /** The accepted bearer tokens (at least one, each at least 16 characters). */
  readonly tokens: readonly string[]
  /**
   * Let requests without an `Authorization` header through (the admin API sets it on
   * `POST /api/tenants` alone, for `openSignup`). A header that IS sent is still checked.
   * Defaults to `false`.
   */
  readonly allowAnonymous?: boolean
}

/**
 * The tokens to accept: `tokens` when given, else the comma-separated
 * `KYSELY_TENANT_ADMIN_TOKENS` environment variable. Throws when none is configured or one is
 * shorter than `MIN_ADMIN_TOKEN_LENGTH`: an admin API must never start unauthenticated.
 *
 * ### Examples
 *
 * ```ts
 * resolveAdminTokens(['a-long-random-admin-token']) // as given
 * resolveAdminTokens(undefined) // from KYSELY_TENANT_ADMIN_TOKENS="token-one...,token-two..."
 * ```
 */
export function resolveAdminTokens(
  tokens: readonly string[] | undefined,
  env: Readonly<Record<string, string | undefined>> = process.env,
): readonly string[] {
  const resolved = (tokens ?? env[ADMIN_TOKENS_ENV]?.split(',') ?? [])
    .map((token) => token.trim())
    .filter((token) => token !== '')
  if (resolved.length === 0) {
    throw new Error(
      `kysely-tenant admin api: no admin token (pass adminTokens or set ${ADMIN_TOKENS_ENV})`,
    )
  }
  if (resolved.some((token) => token.length < MIN_ADMIN_TOKEN_LENGTH)) {
    throw new Error(
      `kysely-tenant admin api: admin tokens must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters`,
    )
  }
  return Object.freeze(resolved)
}

/**
 * Hono middleware requiring `Authorization: Bearer <token>`: 401 when the header is missing
 * or malformed, 403 when the token is wrong. Tokens are compared in constant time and never
 * logged or echoed.
 *
 * ### Examples
 *
 * ```ts
 * const auth = adminAuth({ tokens: resolveAdminTokens(undefined) }) // KYSELY_TENANT_ADMIN_TOKENS
 * app.get('/api/tenants', auth, async (c) => c.json(tenantPageToJson(await tenants.list())))
 * ```
 */
export function adminAuth(options: AdminAuthOptions): MiddlewareHandler {
  // Compare SHA-256 digests: `timingSafeEqual` needs equal lengths, and digests hide the
  // configured tokens' lengths, which comparing the raw strings would leak.
  const digests = options.tokens.map(digest)
  return async (c, next) => {
    const header = c.req.header('authorization')
    if (header === undefined && options.allowAnonymous) return next()
    if (header === undefined) return unauthorized('an admin token is required')
    const match = /^Bearer ([\x21-\x7e]+)$/i.exec(header.trim())
    if (!match) return unauthorized('the authorization header must be "Bearer <token>"')
    const presented = digest(match[1] as string)
    // Every configured token is compared, so the time taken does not tell which one matched.
    let valid = false
    for (const candidate of digests) valid = timingSafeEqual(presented, candidate) || valid
    if (!valid) return errorResponse(403, 'FORBIDDEN', 'the admin token is not valid')
    return next()
  }
}

function unauthorized(message: string): Response {
  return errorResponse(401, 'UNAUTHORIZED', message, undefined, {
    'www-authenticate': 'Bearer realm="kysely-tenant admin"',
  })
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest()
}
