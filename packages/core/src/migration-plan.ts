import { TenantError } from './tenant-error.js'

/** What `planMigrations` decides from. */
export interface MigrationPlanInput {
  /** Names recorded in the tenant's ledger, in the order they were applied. */
  readonly applied: readonly string[]
  /** Names of the migrations that exist now (any order; sorted here by name). */
  readonly available: readonly string[]
  /**
   * Allow a pending migration whose name sorts before the last applied one. Defaults to
   * `false`: such a migration was probably written on a branch that merged late, and
   * running it after newer ones may not be what its author tested.
   */
  readonly allowUnorderedMigrations?: boolean
}

/** What a tenant must run to reach the latest migration. */
export interface MigrationPlan {
  /** Pending migrations, in the order they will run. */
  readonly pending: readonly string[]
  /** The last applied migration, or `null` for a fresh schema. */
  readonly current: string | null
  /** The last migration after the plan has run. */
  readonly latest: string | null
}

/**
 * Decides which migrations a tenant must run, or refuses with `MIGRATION_MISSING` (an
 * applied migration no longer exists) or `MIGRATION_ORDER` (a pending migration sorts
 * before an applied one and unordered migrations are not allowed).
 */
export function planMigrations(input: MigrationPlanInput): MigrationPlan {
  const available = [...input.available].sort()
  const known = new Set(available)
  const missing = input.applied.filter((name) => !known.has(name))
  if (missing.length > 0) {
    throw new TenantError(
      'MIGRATION_MISSING',
      `applied migration ${JSON.stringify(missing[0])} no longer exists`,
      { details: { missing } },
    )
  }
  const applied = new Set(input.applied)
  const pending = available.filter((name) => !applied.has(name))
  const current = input.applied.at(-1) ?? null
  const lastApplied = [...input.applied].sort().at(-1)
  const early = lastApplied === undefined ? [] : pending.filter((name) => name < lastApplied)
  if (early.length > 0 && !input.allowUnorderedMigrations) {
    throw new TenantError(
      'MIGRATION_ORDER',
      `pending migration ${JSON.stringify(early[0])} sorts before applied migration ${JSON.stringify(lastApplied)}`,
      { details: { outOfOrder: early, lastApplied } },
    )
  }
  return { pending, current, latest: pending.at(-1) ?? current }
}

/**
 * Splits applied migrations for a rollback: the ones to undo, newest first. With `to`, undoes
 * every migration after `to` (`to` itself stays); without it, undoes the last one.
 */
export function planRollback(applied: readonly string[], to?: string): readonly string[] {
  if (to === undefined) return applied.slice(-1)
  const index = applied.indexOf(to)
  if (index === -1) {
    throw new TenantError('MIGRATION_MISSING', `migration ${JSON.stringify(to)} is not applied`, {
      details: { to },
    })
  }
  return applied.slice(index + 1).reverse()
}
