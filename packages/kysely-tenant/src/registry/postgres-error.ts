/** The fields node-postgres puts on an error that PostgreSQL reported. */
export interface PostgresErrorFields {
  readonly code: string
  readonly constraint?: string
  readonly detail?: string
  readonly hint?: string
  readonly schema?: string
  readonly table?: string
}

/** True when `error` came from PostgreSQL (it carries a five-character SQLSTATE `code`). */
export function isPostgresError(error: unknown): error is Error & PostgresErrorFields {
  const code: unknown = error instanceof Error ? (error as { code?: unknown }).code : undefined
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)
}

/** SQLSTATE 23505: a UNIQUE constraint refused the row. */
export const UNIQUE_VIOLATION = '23505'

/** True when `error` is a unique violation of the named constraint. */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  return (
    isPostgresError(error) && error.code === UNIQUE_VIOLATION && error.constraint === constraint
  )
}
