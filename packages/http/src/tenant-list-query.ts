import {
  type FieldProblem,
  isTenantStatus,
  SLUG_MAX_LENGTH,
  TENANT_STATUSES,
  TenantError,
} from '@kysely-tenant/core'
import type { TenantListQuery } from 'kysely-tenant'

/** The most tenants one page of `GET /api/tenants` holds (the registry's own cap). */
export const MAX_LIST_LIMIT = 500
/** Search text longer than this is refused: nobody types it, and it costs a scan. */
export const MAX_SEARCH_LENGTH = 200

const KNOWN = ['status', 'search', 'limit', 'cursor']

/**
 * Parses the query string of `GET /api/tenants` (`status`, `search`, `limit`, `cursor`) into
 * a `TenantListQuery`. Every problem is listed in one `VALIDATION_FAILED` (a 400), unknown and
 * repeated parameters included, so a typo (`?staus=`) never silently lists everything.
 *
 * ### Examples
 *
 * ```ts
 * parseTenantListQuery({ status: ['suspended'], limit: ['20'] }) // { status: 'suspended', limit: 20 }
 * parseTenantListQuery({ limit: ['0'] }) // throws VALIDATION_FAILED: limit must be ...
 * ```
 */
export function parseTenantListQuery(params: Record<string, string[]>): TenantListQuery {
  const problems: FieldProblem[] = []
  const query: { -readonly [K in keyof TenantListQuery]: TenantListQuery[K] } = {}
  for (const [key, values] of Object.entries(params)) {
    if (!KNOWN.includes(key)) problems.push({ field: key, message: 'is not a known parameter' })
    else if (values.length > 1) problems.push({ field: key, message: 'must be given once' })
  }
  const one = (key: string) => params[key]?.[0]
  const status = one('status')
  if (status !== undefined) {
    if (isTenantStatus(status)) query.status = status
    else problems.push({ field: 'status', message: `must be one of ${TENANT_STATUSES.join(', ')}` })
  }
  const search = one('search')
  if (search !== undefined) {
    if (search.length <= MAX_SEARCH_LENGTH) query.search = search
    else
      problems.push({ field: 'search', message: `must be at most ${MAX_SEARCH_LENGTH} characters` })
  }
  const limit = one('limit')
  if (limit !== undefined) {
    const n = /^\d{1,4}$/.test(limit) ? Number(limit) : Number.NaN
    if (n >= 1 && n <= MAX_LIST_LIMIT) query.limit = n
    else
      problems.push({ field: 'limit', message: `must be an integer from 1 to ${MAX_LIST_LIMIT}` })
  }
  const cursor = one('cursor')
  if (cursor !== undefined) {
    // A cursor is the last slug of the previous page; anything else was not made by us.
    if (cursor.length > 0 && cursor.length <= SLUG_MAX_LENGTH) query.cursor = cursor
    else problems.push({ field: 'cursor', message: 'is not a cursor returned by this API' })
  }
  if (problems.length > 0) {
    const summary = problems.map((p) => `${p.field} ${p.message}`).join('; ')
    throw new TenantError('VALIDATION_FAILED', `invalid list query: ${summary}`, {
      details: problems,
    })
  }
  return query
}
