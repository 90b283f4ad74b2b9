import { quoteIdentifier } from '@kysely-tenant/core'
import type { TransactionSettings } from 'kysely'

// Kysely validates these before a driver sees them; checked again because they are pasted
// into SQL text (the simple protocol has no parameters).
const ISOLATION_LEVELS = new Set([
  'read uncommitted',
  'read committed',
  'repeatable read',
  'serializable',
])
const ACCESS_MODES = new Set(['read only', 'read write'])

/**
 * The one statement string that begins a scoped transaction:
 * `begin; set local search_path to "tenant_x", "public"; select '"tenant_x"'::regnamespace`,
 * or `start transaction isolation level serializable read only; set local ...; select ...`.
 *
 * It is sent as one parameterless query, which node-postgres sends with the simple query
 * protocol, so the statements travel in one round trip. `set local` reverts at commit or
 * rollback, so the pooled connection never carries the tenant to its next borrower (and it
 * is the only form that is correct behind PgBouncer in transaction mode).
 *
 * The `::regnamespace` cast fails (SQLSTATE 3F000) when the tenant's schema does not exist.
 * PostgreSQL silently skips a missing schema in a search path, so without it a tenant
 * whose schema was dropped (purged while another process still had it cached as
 * provisioned, or dropped by hand) would run its unqualified SQL in `public`.
 *
 * @param searchPath An already quoted search path (`formatSearchPath`).
 * @param schema The tenant's schema (a name derived by `slugToSchemaName`).
 */
export function scopedBeginStatement(
  settings: TransactionSettings,
  searchPath: string,
  schema: string,
): string {
  let begin = 'begin'
  if (settings.isolationLevel || settings.accessMode) {
    begin = 'start transaction'
    if (settings.isolationLevel) {
      if (!ISOLATION_LEVELS.has(settings.isolationLevel)) {
        throw new Error(`unsupported isolation level ${JSON.stringify(settings.isolationLevel)}`)
      }
      begin += ` isolation level ${settings.isolationLevel}`
    }
    if (settings.accessMode) {
      if (!ACCESS_MODES.has(settings.accessMode)) {
        throw new Error(`unsupported access mode ${JSON.stringify(settings.accessMode)}`)
      }
      begin += ` ${settings.accessMode}`
    }
  }
  // The literal holds a quoted identifier; single quotes are doubled so any name is safe.
  const literal = `'${quoteIdentifier(schema).replaceAll("'", "''")}'`
  return `${begin}; set local search_path to ${searchPath}; select ${literal}::regnamespace`
}
