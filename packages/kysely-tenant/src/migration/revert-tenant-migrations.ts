import { planRollback, TenantError } from '@kysely-tenant/core'
import { type Transaction, WithSchemaPlugin } from 'kysely'
import { migrationDigest } from './migration-digest.js'
import { migrationFailed } from './migration-failed.js'
import { readMigrationLedger, writeMigrationLedger } from './migration-ledger.js'
import { lockTenantSchema } from './migration-lock.js'
import type { TenantMigration } from './tenant-migration.js'

export interface RevertTenantMigrationsOptions {
  readonly schemaName: string
  readonly migrations: Readonly<Record<string, TenantMigration>>
  readonly controlSchema: string
  readonly sharedSchemas: readonly string[]
  /**
   * Undo every migration applied after this one (it stays applied). Defaults to undoing
   * only the last applied migration. A name that is not applied throws `MIGRATION_MISSING`.
   */
  readonly to?: string
}

/** What one tenant's rollback changed. */
export interface RevertedMigrations {
  /** The last applied migration before the rollback. */
  readonly from: string | null
  /** The last applied migration after it, `null` when none is left. */
  readonly to: string | null
  /** The migrations undone, newest first. */
  readonly reverted: readonly string[]
}

/**
 * The `down` counterpart of `applyTenantMigrations`, with the same lock, `search_path` and
 * scoped `db`, inside the caller's transaction. Runs `down(db)` of the last applied migration
 * (or of every one after `options.to`), newest first, and removes their ledger rows.
 *
 * Throws `MIGRATION_MISSING` when a migration to undo has no file any more, and
 * `MIGRATION_FAILED` when it has no `down` or its `down` fails.
 *
 * ### Examples
 *
 * ```ts
 * const migrations = await provider.getMigrations()
 * const result = await db.transaction().execute((trx) =>
 *   revertTenantMigrations(trx, {
 *     schemaName: 'tenant_acme_corp',
 *     migrations,
 *     controlSchema: 'public',
 *     sharedSchemas: ['public'],
 *   }),
 * )
 * // { from: '2026_02_01_items', to: '2026_01_01_orders', reverted: ['2026_02_01_items'] }
 * ```
 */
export async function revertTenantMigrations(
  trx: Transaction<any>,
  options: RevertTenantMigrationsOptions,
): Promise<RevertedMigrations> {
  const { schemaName, migrations } = options
  const lock = await lockTenantSchema(trx, schemaName, options.sharedSchemas)
  const applied = lock.hasLedger ? await readMigrationLedger(trx, schemaName) : []
  const undo = planRollback(applied, options.to)
  const scoped = trx.withPlugin(new WithSchemaPlugin(schemaName))
  for (const name of undo) {
    const migration = migrations[name]
    if (!migration) {
      throw new TenantError('MIGRATION_MISSING', `applied migration "${name}" no longer exists`, {
        details: { missing: [name], schemaName },
      })
    }
    try {
      if (!migration.down) throw new Error('it has no down()')
      await migration.down(scoped)
    } catch (error) {
      throw migrationFailed(name, schemaName, 'down', error)
    }
  }
  const after = applied.slice(0, applied.length - undo.length)
  if (lock.hasLedger) {
    await writeMigrationLedger(trx, {
      schemaName,
      controlSchema: options.controlSchema,
      added: [],
      removed: undo,
      firstPosition: after.length,
      head: after.at(-1) ?? null,
      digest: migrationDigest(after),
    })
  }
  return { from: applied.at(-1) ?? null, to: after.at(-1) ?? null, reverted: undo }
}
