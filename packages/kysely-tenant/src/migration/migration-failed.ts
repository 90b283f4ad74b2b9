import { TenantError } from '@kysely-tenant/core'

/** PostgreSQL's fields of an error, as node-postgres reports them. */
interface DatabaseErrorFields {
  readonly code?: unknown
  readonly detail?: unknown
  readonly hint?: unknown
  readonly where?: unknown
}

/**
 * Wraps what a migration threw in `TenantError('MIGRATION_FAILED')`: the message names the
 * migration and the schema, `details` carry PostgreSQL's `code`, `detail` and `hint` (null
 * when absent, e.g. for an error thrown by JavaScript), and `cause` is the original error.
 */
export function migrationFailed(
  migration: string,
  schemaName: string,
  direction: 'up' | 'down',
  cause: unknown,
): TenantError {
  const fields = (typeof cause === 'object' && cause !== null ? cause : {}) as DatabaseErrorFields
  const reason = cause instanceof Error ? cause.message : String(cause)
  return new TenantError(
    'MIGRATION_FAILED',
    `migration ${JSON.stringify(migration)} (${direction}) failed in schema ${JSON.stringify(schemaName)}: ${reason}`,
    {
      details: {
        migration,
        schemaName,
        direction,
        code: text(fields.code),
        detail: text(fields.detail),
        hint: text(fields.hint),
        where: text(fields.where),
      },
      cause,
    },
  )
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null
}
