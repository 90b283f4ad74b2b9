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
 * `begin; set local search_path to "tenant_x", "public"`, or
 * `start transaction isolation level serializable read only; set local ...`.
 *
 * It is sent as one parameterless query, which node-postgres sends with the simple query
 * protocol, so both statements travel in one round trip. `set local` reverts at commit or
 * rollback, so the pooled connection never carries the tenant to its next borrower (and it
 * is the only form that is correct behind PgBouncer in transaction mode).
 *
 * @param searchPath An already quoted search path (`formatSearchPath`).
 */
export function scopedBeginStatement(settings: TransactionSettings, searchPath: string): string {
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
  return `${begin}; set local search_path to ${searchPath}`
}
