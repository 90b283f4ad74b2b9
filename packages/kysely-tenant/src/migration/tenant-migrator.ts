import type { Transaction } from 'kysely'
import { type ResolvedTenancyOptions, resolveTenancyOptions } from '../tenancy-options.js'
import { applyTenantMigrations } from './apply-tenant-migrations.js'
import { migrationDigest } from './migration-digest.js'
import { revertTenantMigrations } from './revert-tenant-migrations.js'
import { runBounded } from './run-bounded.js'
import { type FanOutOptions, runTenantFanOut, type TenantFanOutArgs } from './tenant-fan-out.js'
import type { TenantMigration } from './tenant-migration.js'
import type { TenantMigrationRun } from './tenant-migration-result.js'
import { type TenantMigrationStatus, tenantMigrationStatus } from './tenant-migration-status.js'
import {
  lockIfStillTargeted,
  readMigrationTargets,
  type TenantMigrationTarget,
} from './tenant-migration-targets.js'
import {
  DEFAULT_POOL_SIZE,
  type TenantMigratorProps,
  type TenantRunOptions,
} from './tenant-migrator-props.js'

/**
 * Migrates every tenant schema: provisioned and suspended tenants (suspended data stays
 * current), never active or deleted ones. One status query sorts all tenants by their
 * registry digest; tenants at latest cost nothing more. Each other tenant runs
 * `applyTenantMigrations` in its own transaction, `concurrency` at a time, so it moves
 * to latest or stays where it was; a failure is reported in its result and the run
 * carries on (unless `failFast`). Re-running resumes where a run stopped.
 *
 * ### Examples
 *
 * ```ts
 * const migrator = new TenantMigrator({ db, provider: new FolderMigrationProvider('migrations/tenant') })
 * const { results, summary } = await migrator.migrateToLatest()
 * for (const r of results) if (r.error) console.error(r.tenant, r.error.message)
 * ```
 */
export class TenantMigrator {
  readonly #props: TenantMigratorProps
  readonly #tenancy: ResolvedTenancyOptions
  readonly #concurrency: number

  constructor(props: TenantMigratorProps) {
    this.#props = Object.freeze({ ...props })
    this.#tenancy = resolveTenancyOptions(props.tenancy)
    this.#concurrency = Math.max(1, props.concurrency ?? (props.poolSize ?? DEFAULT_POOL_SIZE) - 1)
  }

  /** Brings every targeted tenant to the latest migration. */
  migrateToLatest(options: TenantRunOptions = {}): Promise<TenantMigrationRun> {
    return this.#up(options)
  }

  /** Applies the next pending migration of every targeted tenant (kysely-ctl's `migrate up`). */
  migrateUp(options: TenantRunOptions = {}): Promise<TenantMigrationRun> {
    return this.#up(options, 1)
  }

  /**
   * Undoes the last migration of every targeted tenant, or every migration after `to`.
   * Every targeted tenant is opened: the registry digest cannot tell what to undo.
   */
  async migrateDown(
    options: TenantRunOptions & { readonly to?: string } = {},
  ): Promise<TenantMigrationRun> {
    const migrations = await this.#props.provider.getMigrations()
    const targets = await readMigrationTargets(
      this.#props.db,
      this.#tenancy.controlSchema,
      '',
      options.tenant,
    )
    const to = options.to === undefined ? {} : { to: options.to }
    return this.#fanOut(targets, 0, options, async ({ trx, target }) => {
      if (!(await this.#stillTargeted(trx, target))) return untouched(target)
      const step = await revertTenantMigrations(trx, { ...this.#base(target, migrations), ...to })
      return { ...step, applied: [] }
    })
  }

  /** Dry run: the pending migrations of every targeted tenant, locking and changing nothing. */
  async plan(options: { readonly tenant?: string } = {}): Promise<TenantMigrationStatus[]> {
    const available = Object.keys(await this.#props.provider.getMigrations()).sort()
    const targets = await readMigrationTargets(
      this.#props.db,
      this.#tenancy.controlSchema,
      migrationDigest(available),
      options.tenant,
    )
    const allow = this.#props.allowUnorderedMigrations ?? false
    const statuses = await runBounded(targets, this.#concurrency, (target) =>
      tenantMigrationStatus(this.#props.db, target, available, allow),
    )
    return statuses.sort((a, b) => (a.tenant < b.tenant ? -1 : 1))
  }

  /** The same as `plan()`: what `migrate list` prints. */
  list(options: { readonly tenant?: string } = {}): Promise<TenantMigrationStatus[]> {
    return this.plan(options)
  }

  async #up(options: TenantRunOptions, maxMigrations?: number): Promise<TenantMigrationRun> {
    const migrations = await this.#props.provider.getMigrations()
    const digest = migrationDigest(Object.keys(migrations))
    const targets = await readMigrationTargets(
      this.#props.db,
      this.#tenancy.controlSchema,
      digest,
      options.tenant,
    )
    const stale = targets.filter((target) => !target.atLatest)
    return this.#fanOut(stale, targets.length - stale.length, options, async ({ trx, target }) => {
      if (!(await this.#stillTargeted(trx, target))) return untouched(target)
      return {
        reverted: [],
        ...(await applyTenantMigrations(trx, {
          ...this.#base(target, migrations),
          allowUnorderedMigrations: this.#props.allowUnorderedMigrations ?? false,
          ...(maxMigrations === undefined ? {} : { maxMigrations }),
        })),
      }
    })
  }

  #stillTargeted(trx: Transaction<any>, target: TenantMigrationTarget): Promise<boolean> {
    return lockIfStillTargeted(trx, this.#tenancy.controlSchema, target.schemaName)
  }

  #base(target: TenantMigrationTarget, migrations: Readonly<Record<string, TenantMigration>>) {
    const { controlSchema, sharedSchemas } = this.#tenancy
    return { schemaName: target.schemaName, migrations, controlSchema, sharedSchemas }
  }

  #fanOut(
    targets: readonly TenantMigrationTarget[],
    upToDate: number,
    options: FanOutOptions,
    run: TenantFanOutArgs['run'],
  ): Promise<TenantMigrationRun> {
    return runTenantFanOut({
      db: this.#props.db,
      targets,
      upToDate,
      concurrency: this.#concurrency,
      failFast: options.failFast ?? this.#props.failFast ?? false,
      ...(options.limit === undefined ? {} : { limit: options.limit }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      run,
    })
  }
}

// A tenant deleted or purged since the run's status query: reported unchanged.
function untouched(target: TenantMigrationTarget) {
  return { from: target.head, to: target.head, applied: [], reverted: [] }
}
