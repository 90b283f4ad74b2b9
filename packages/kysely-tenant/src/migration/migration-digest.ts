import { createHash } from 'node:crypto'

/**
 * A short fingerprint of a set of migration names: the sha256 hex of the names in name
 * order, one per line.
 *
 * The registry keeps this digest of each tenant's applied migrations in `migration_digest`,
 * and the migrator compares it with the digest of the migrations that exist now: equal
 * digests mean the tenant is at latest, so one query over the registry sorts every tenant
 * without opening its schema. Names are sorted first so that a tenant which ran an
 * unordered migration late still converges to the same digest as everyone else.
 *
 * ### Examples
 *
 * ```ts
 * migrationDigest(['2026_01_01_orders', '2026_02_01_items'])
 * // the same as migrationDigest(['2026_02_01_items', '2026_01_01_orders'])
 * ```
 */
export function migrationDigest(names: readonly string[]): string {
  // A newline cannot end a name taken from a file name, so joined names stay unambiguous.
  return createHash('sha256')
    .update([...names].sort().join('\n'))
    .digest('hex')
}
