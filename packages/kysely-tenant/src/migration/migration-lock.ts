import { formatSearchPath, quoteIdentifier } from '@kysely-tenant/core'
import { sql, type Transaction } from 'kysely'
import { MIGRATION_LEDGER_TABLE } from './migration-ledger.js'

/**
 * The first key of every tenant migration lock: the ASCII bytes of `ktmg` as an int4.
 *
 * The lock is `pg_advisory_xact_lock(MIGRATION_LOCK_NAMESPACE, hashtext(schema_name))`. The
 * two-int form lives in a different key space from the one-bigint form, so it can never
 * collide with Kysely's own Migrator lock or any other bigint key; the namespace keeps it
 * apart from other two-int users. `hashtext` is stable on one server, which is all a lock
 * needs; two schemas sharing a hash merely serialize. The lock is transaction-level: it
 * needs no unlock, is released by COMMIT or ROLLBACK even when the client dies, and
 * works through transaction poolers (PgBouncer), unlike a session lock.
 */
export const MIGRATION_LOCK_NAMESPACE = 0x6b746d67

/** What `lockTenantSchema` found once the lock was held. */
export interface TenantSchemaLock {
  /** True when the tenant schema already holds its migration ledger. */
  readonly hasLedger: boolean
}

/**
 * Takes the tenant's migration lock (waiting for another runner to finish), sets the
 * transaction's `search_path` to the tenant schema then `sharedSchemas`, and checks for the
 * ledger: one round trip.
 *
 * The generated SQL (PostgreSQL):
 *
 * ```sql
 * select pg_advisory_xact_lock($1, hashtext($2)),
 *   set_config('search_path', $3, true),
 *   to_regclass($4) is not null as has_ledger
 * ```
 */
export async function lockTenantSchema(
  trx: Transaction<any>,
  schemaName: string,
  sharedSchemas: readonly string[],
): Promise<TenantSchemaLock> {
  const searchPath = formatSearchPath([schemaName, ...sharedSchemas])
  const ledger = `${quoteIdentifier(schemaName)}.${quoteIdentifier(MIGRATION_LEDGER_TABLE)}`
  // The ledger check may run before the lock is granted; that is harmless because a
  // missing ledger is created with `if not exists` once the lock is held.
  const { rows } = await sql<{ has_ledger: boolean }>`
    select pg_advisory_xact_lock(${MIGRATION_LOCK_NAMESPACE}::int4, hashtext(${schemaName})),
      set_config('search_path', ${searchPath}, true),
      to_regclass(${ledger}) is not null as has_ledger`.execute(trx)
  return { hasLedger: rows[0]?.has_ledger === true }
}

/**
 * Takes only the tenant's migration lock, for work that must not overlap a migration of the
 * same schema (purging it). Take it BEFORE locking the tenant's registry row: a migration
 * holds this lock first and updates the row last, so the same order cannot deadlock.
 */
export async function lockTenantMigrations(trx: Transaction<any>, schemaName: string) {
  await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_NAMESPACE}::int4, hashtext(${schemaName}))`.execute(
    trx,
  )
}
