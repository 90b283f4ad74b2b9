import { planMigrations, TenantError } from '@kysely-tenant/core'
import { type Transaction, WithSchemaPlugin } from 'kysely'
import { migrationDigest } from './migration-digest.js'
import { migrationFailed } from './migration-failed.js'
import {
  createMigrationLedger,
  readMigrationLedger,
  writeMigrationLedger,
} from './migration-ledger.js'
import { lockTenantSchema } from './migration-lock.js'
import type { TenantMigration } from './tenant-migration.js'

export interface ApplyTenantMigrationsOptions {
  /** The tenant schema, as derived by core's `slugToSchemaName`. Always quoted. */
  readonly schemaName: string
  /** Every migration that exists, by name; they run in name order. */
  readonly migrations: Readonly<Record<string, TenantMigration>>
  /** The schema of the registry; `<controlSchema>.tenants` gets the new head and digest. */
  readonly controlSchema: string
  /** Schemas searched after the tenant's own by raw `sql` in the migrations. */
  readonly sharedSchemas: readonly string[]
  /**
   * Run a pending migration that sorts before an applied one. Defaults to `false`, which
   * throws `MIGRATION_ORDER` instead.
   */
  readonly allowUnorderedMigrations?: boolean
  /**
   * Create the schema first (provisioning). A plain `CREATE SCHEMA`: when the schema exists
   * already it fails with PostgreSQL's `42P06` instead of adopting someone else's schema.
   * Nothing here ever drops a schema; a failure is undone by the caller's ROLLBACK, which
   * only removes what this transaction created. Defaults to `false`.
   */
  readonly createSchema?: boolean
  /**
   * Apply at most this many of the pending migrations (`migrate up` applies one). Defaults to
   * all of them.
   */
  readonly maxMigrations?: number
}

/** What one tenant's run changed. */
export interface AppliedMigrations {
  /** The last applied migration before the run, `null` for a fresh schema. */
  readonly from: string | null
  /** The last applied migration after the run. */
  readonly to: string | null
  /** The migrations this run applied, in order; empty when the tenant was at latest. */
  readonly applied: readonly string[]
}

/**
 * Brings one tenant schema to the latest migration, inside the caller's transaction: the
 * caller commits (the schema moves from its version to latest) or rolls back (it stays).
 *
 * Steps: take the tenant's transaction-level advisory lock and set `search_path` locally
 * (one round trip, see `lockTenantSchema`), create the ledger when missing, read it, plan
 * with core's `planMigrations`, run each pending `up(db)` with `db` qualified to the schema
 * by `WithSchemaPlugin` (raw `sql` resolves through the `search_path`), then record the
 * ledger rows and the registry's `migration_head` / `migration_digest`.
 *
 * Throws `MIGRATION_ORDER` or `MIGRATION_MISSING` before running anything, and
 * `MIGRATION_FAILED` naming the migration, with PostgreSQL's code, detail and hint, when
 * one fails. The transaction is then aborted and must be rolled back.
 *
 * Run it in READ COMMITTED (PostgreSQL's default): the ledger is read after the lock is
 * granted, so a runner that waited sees what the one before it committed.
 *
 * ### Examples
 *
 * ```ts
 * const migrations = await provider.getMigrations()
 * const result = await db.transaction().execute((trx) =>
 *   applyTenantMigrations(trx, {
 *     schemaName: 'tenant_acme_corp',
 *     migrations,
 *     controlSchema: 'public',
 *     sharedSchemas: ['public'],
 *   }),
 * )
 * // { from: '2026_01_01_orders', to: '2026_02_01_items', applied: ['2026_02_01_items'] }
 * ```
 */
export async function applyTenantMigrations(
  trx: Transaction<any>,
  options: ApplyTenantMigrationsOptions,
): Promise<AppliedMigrations> {
  const { schemaName, migrations } = options
  const lock = await lockTenantSchema(trx, schemaName, options.sharedSchemas)
  if (options.createSchema) await trx.schema.createSchema(schemaName).execute()
  if (!lock.hasLedger) await createMigrationLedger(trx, schemaName)
  const applied = lock.hasLedger ? await readMigrationLedger(trx, schemaName) : []
  const plan = planMigrations({
    applied,
    available: Object.keys(migrations),
    allowUnorderedMigrations: options.allowUnorderedMigrations ?? false,
  })
  const pending = plan.pending.slice(0, options.maxMigrations ?? plan.pending.length)
  const scoped = trx.withPlugin(new WithSchemaPlugin(schemaName))
  for (const name of pending) {
    const migration = migrations[name]
    if (!migration) throw new TenantError('MIGRATION_MISSING', `migration "${name}" is gone`)
    try {
      await migration.up(scoped)
    } catch (error) {
      throw migrationFailed(name, schemaName, 'up', error)
    }
  }
  const after = [...applied, ...pending]
  await writeMigrationLedger(trx, {
    schemaName,
    controlSchema: options.controlSchema,
    added: pending,
    removed: [],
    firstPosition: applied.length,
    head: after.at(-1) ?? null,
    digest: migrationDigest(after),
  })
  return { from: plan.current, to: after.at(-1) ?? null, applied: pending }
}
