import type { Kysely, Transaction } from 'kysely'
import { runBounded } from './run-bounded.js'
import {
  describeFailure,
  type TenantMigrationResult,
  type TenantMigrationRun,
} from './tenant-migration-result.js'
import type { TenantMigrationTarget } from './tenant-migration-targets.js'

/** Progress after each finished tenant, for progress bars. */
export interface TenantMigrationProgress {
  /** Tenants finished so far (succeeded or failed). */
  readonly done: number
  /** Tenants this run will start (after `limit`), not counting those already at latest. */
  readonly total: number
  readonly failed: number
  /** The tenant that just finished. */
  readonly result: TenantMigrationResult
}

/** Options shared by every fan-out of the migrator. */
export interface FanOutOptions {
  /** Start at most this many tenants (canary runs); the rest count as `notRun`. */
  readonly limit?: number
  /** Overrides the migrator's `failFast` for this run. */
  readonly failFast?: boolean
  /** Called after each tenant finishes. Exceptions thrown by it are ignored. */
  readonly onProgress?: (progress: TenantMigrationProgress) => void
}

/** What one tenant's transaction reports back. */
export interface TenantStep {
  readonly from: string | null
  readonly to: string | null
  readonly applied: readonly string[]
  readonly reverted: readonly string[]
}

export interface TenantFanOutArgs extends FanOutOptions {
  readonly db: Kysely<any>
  readonly targets: readonly TenantMigrationTarget[]
  /** Targeted tenants left out because they were at latest already. */
  readonly upToDate: number
  readonly concurrency: number
  readonly failFast: boolean
  readonly run: (context: {
    readonly trx: Transaction<any>
    readonly target: TenantMigrationTarget
  }) => Promise<TenantStep>
}

/**
 * Runs `run` for each target in its own transaction, `concurrency` at a time. One
 * transaction per tenant, never one for all: a transaction touching hundreds of schemas
 * runs out of lock slots (`max_locks_per_transaction`), and one tenant's failure must not
 * undo another's success. Failures become results; nothing here throws for a tenant.
 */
export async function runTenantFanOut(args: TenantFanOutArgs): Promise<TenantMigrationRun> {
  const started = performance.now()
  const targets = args.targets.slice(0, args.limit ?? args.targets.length)
  let failed = 0
  let done = 0
  const results = await runBounded(
    targets,
    args.concurrency,
    async (target): Promise<TenantMigrationResult> => {
      const begin = performance.now()
      const base = { tenant: target.tenant, schemaName: target.schemaName }
      let result: TenantMigrationResult
      try {
        const step = await args.db.transaction().execute((trx) => args.run({ trx, target }))
        result = { ...base, ...step, durationMs: performance.now() - begin }
      } catch (error) {
        failed++
        result = {
          ...base,
          from: target.head,
          to: target.head,
          applied: [],
          reverted: [],
          durationMs: performance.now() - begin,
          error: describeFailure(error),
        }
      }
      done++
      try {
        args.onProgress?.({ done, total: targets.length, failed, result })
      } catch {
        // A broken progress callback must not turn a migrated tenant into a failed one.
      }
      return result
    },
    () => args.failFast && failed > 0,
  )
  results.sort((a, b) => (a.tenant < b.tenant ? -1 : a.tenant > b.tenant ? 1 : 0))
  const changed = results.filter((r) => !r.error && (r.applied.length > 0 || r.reverted.length > 0))
  return {
    results,
    summary: {
      tenants: args.targets.length + args.upToDate,
      upToDate: args.upToDate,
      migrated: changed.length,
      unchanged: results.length - changed.length - failed,
      failed,
      notRun: args.targets.length - results.length,
      durationMs: performance.now() - started,
    },
  }
}
