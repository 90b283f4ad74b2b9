import { quoteIdentifier } from '@kysely-tenant/core'
import type { TransactionSettings } from 'kysely'
import { MIGRATION_LEDGER_TABLE } from '../migration/migration-ledger.js'

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
 * `begin; set local search_path to "tenant_x", "public"; lock table
 * "tenant_x"."kysely_tenant_migration" in access share mode`, or
 * `start transaction isolation level serializable read only; set local ...; lock ...`.
 *
 * It is sent as one parameterless query, which node-postgres sends with the simple query
 * protocol, so the statements travel in one round trip. `set local` reverts at commit or
 * rollback, so the pooled connection never carries the tenant to its next borrower (and it
 * is the only form that is correct behind PgBouncer in transaction mode).
 *
 * The `lock table` is a guard: it fails (3F000, 42P01) when the tenant's schema, or the migration
 * ledger every provisioned schema has, does not exist. PostgreSQL silently skips a missing
 * schema in a search path, so without it a tenant whose schema was dropped (purged while
 * another process still had it cached as provisioned, or dropped by hand) would run its
 * unqualified SQL in `public`. A lock rather than a `select '"tenant_x"'::regnamespace`:
 * it needs no planning, and measured with node-postgres it costs about a third as much
 * (0.93x of a plain `begin` against 0.87x). ACCESS SHARE conflicts only with ACCESS
 * EXCLUSIVE, so it never blocks a migration's reads and writes of the ledger; a purge's
 * `DROP SCHEMA` waits for the tenant's open transactions to end, as it should. It is
 * allowed in read-only transactions and on hot standbys.
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
  const ledger = `${quoteIdentifier(schema)}.${quoteIdentifier(MIGRATION_LEDGER_TABLE)}`
  return `${begin}; set local search_path to ${searchPath}; lock table ${ledger} in access share mode`
}
