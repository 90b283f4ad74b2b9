import { TenantError } from '@kysely-tenant/core'

/**
 * Reads the body of `POST /api/tenants/:slug/purge`: `{ "confirm": "<slug>" }` and nothing
 * else. Returns the confirmation ('' when absent); `TenantService.purge` compares it with the
 * slug and answers `CONFIRMATION_REQUIRED` when they differ. A body of another shape is a
 * `VALIDATION_FAILED` listing every problem.
 *
 * ### Examples
 *
 * ```ts
 * readPurgeConfirmation({ confirm: 'acme-corp' }) // 'acme-corp'
 * readPurgeConfirmation(undefined) // '' (purge then answers CONFIRMATION_REQUIRED)
 * ```
 */
export function readPurgeConfirmation(body: unknown): string {
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}
  const extra = Object.keys(fields).filter((key) => key !== 'confirm')
  const confirm = (fields as { confirm?: unknown }).confirm
  const problems = [
    ...(body !== undefined && fields !== body
      ? [{ field: '(body)', message: 'must be a JSON object' }]
      : []),
    ...extra.map((field) => ({ field, message: 'is not a known field' })),
    ...(confirm !== undefined && typeof confirm !== 'string'
      ? [{ field: 'confirm', message: 'must be a string' }]
      : []),
  ]
  if (problems.length > 0) {
    const summary = problems.map((p) => `${p.field} ${p.message}`).join('; ')
    throw new TenantError('VALIDATION_FAILED', `invalid purge request: ${summary}`, {
      details: problems,
    })
  }
  return typeof confirm === 'string' ? confirm : ''
}
