import { planMigrations } from '@kysely-tenant/core'
import type { Kysely } from 'kysely'
import { readMigrationLedger } from './migration-ledger.js'
import { describeFailure, type TenantMigrationFailure } from './tenant-migration-result.js'
import type { TenantMigrationTarget } from './tenant-migration-targets.js'

/** Where one tenant stands, from a dry run: nothing is locked or changed. */
export interface TenantMigrationStatus {
  readonly tenant: string
  readonly schemaName: string
  readonly status: 'provisioned' | 'suspended'
  /** The last applied migration, per the registry. */
  readonly head: string | null
  /** Migrations a run would apply, in order; empty when at latest. */
  readonly pending: readonly string[]
  /** Why a run would refuse this tenant (`MIGRATION_ORDER`, `MIGRATION_MISSING`, ...). */
  readonly error?: TenantMigrationFailure
}

/**
 * Plans one tenant without locking it. Tenants whose registry digest is at latest are
 * answered from the status query alone; the others have their ledger read (a missing
 * ledger counts as empty).
 */
export async function tenantMigrationStatus(
  db: Kysely<any>,
  target: TenantMigrationTarget,
  available: readonly string[],
  allowUnorderedMigrations: boolean,
): Promise<TenantMigrationStatus> {
  const { tenant, schemaName, status, head } = target
  if (target.atLatest) return { tenant, schemaName, status, head, pending: [] }
  try {
    const applied = await readMigrationLedger(db, schemaName).catch((error: { code?: string }) => {
      if (error.code === '42P01') return [] // undefined_table: the ledger is not there yet
      throw error
    })
    const plan = planMigrations({ applied, available, allowUnorderedMigrations })
    return { tenant, schemaName, status, head, pending: plan.pending }
  } catch (error) {
    return { tenant, schemaName, status, head, pending: [], error: describeFailure(error) }
  }
}
