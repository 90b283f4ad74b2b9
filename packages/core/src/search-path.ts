import { TenantError } from './tenant-error.js'

/**
 * Quotes one PostgreSQL identifier: wraps it in double quotes and doubles any inside.
 * Refuses the empty string and NUL, which PostgreSQL cannot store in a name.
 */
export function quoteIdentifier(name: string): string {
  if (name.length === 0 || name.includes('\0')) {
    throw new TenantError('VALIDATION_FAILED', `invalid identifier ${JSON.stringify(name)}`)
  }
  return `"${name.replaceAll('"', '""')}"`
}

/**
 * The value of a `search_path` that starts with `schemas[0]`, every name quoted:
 * `formatSearchPath(['tenant_acme', 'public'])` -> `"tenant_acme", "public"`.
 *
 * Quoting matters twice here: it keeps a name from being read as SQL, and a quoted name in a
 * search path is taken literally (an unquoted `$user` or upper-case name would be rewritten).
 */
export function formatSearchPath(schemas: readonly string[]): string {
  if (schemas.length === 0) {
    throw new TenantError('VALIDATION_FAILED', 'a search path needs at least one schema')
  }
  return schemas.map(quoteIdentifier).join(', ')
}
