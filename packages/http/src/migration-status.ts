import { isTenantError, planMigrations } from '@kysely-tenant/core'
import type { Kysely } from 'kysely'
import {
  MIGRATION_LEDGER_TABLE,
  type Tenant,
  type TenantMigrationProvider,
  type TenantMigrator,
} from 'kysely-tenant'

/** What `GET /api/tenants/:slug/migrations` answers. */
export interface TenantMigrationsJson {
  readonly tenant: string
  readonly schemaName: string
  /** The registry's record of the last applied migration. */
  readonly head: string | null
  /** From the tenant's own ledger, in the order they ran. */
  readonly applied: readonly { readonly name: string; readonly appliedAt: string }[]
  /** What a migration run (or provisioning) would apply, in order. */
  readonly pending: readonly string[]
  /** Why a run would refuse this tenant (a migration gone missing, or out of order). */
  readonly problem?: { readonly code: string; readonly message: string }
}

/**
 * Answers `GET /api/tenants/:slug/migrations` for one tenant (see `createAdminApi`).
 * `ledgerMigrationStatus` builds one; write your own to answer from elsewhere.
 */
export type TenantMigrationStatusReader = (tenant: Tenant) => Promise<TenantMigrationsJson>

/** The settings of `ledgerMigrationStatus`. */
export interface LedgerMigrationStatusOptions {
  /** A Kysely on your pool (unscoped: the ledger is read by its qualified name). */
  readonly db: Kysely<any>
  /** The same provider your `TenantService` and migrator use. */
  readonly migrations: TenantMigrationProvider
  /** See `planMigrations`. Defaults to `false`. */
  readonly allowUnorderedMigrations?: boolean
  /**
   * Your `TenantMigrator`. When given, `pending` and `problem` of provisioned and suspended
   * tenants are its `list({ tenant })`: exactly what `migrate latest` would do. Other tenants
   * (active, deleted) are not its targets and are planned from the ledger.
   */
  readonly migrator?: Pick<TenantMigrator, 'list'>
}

/**
 * A `TenantMigrationStatusReader` that reads the tenant's ledger
 * (`"<schema>"."kysely_tenant_migration"`) and compares it with the available migrations.
 * One query per call, locking nothing; a tenant without a schema yet has everything pending.
 *
 * ### Examples
 *
 * ```ts
 * createAdminApi({
 *   tenants,
 *   migrationStatus: ledgerMigrationStatus({ db, migrations: provider }),
 * })
 * ```
 *
 * The generated SQL (PostgreSQL):
 *
 * ```sql
 * select "name", "applied_at" from "tenant_acme_corp"."kysely_tenant_migration" order by "position"
 * ```
 */
export function ledgerMigrationStatus(
  options: LedgerMigrationStatusOptions,
): TenantMigrationStatusReader {
  return async (tenant) => {
    const available = Object.keys(await options.migrations.getMigrations()).sort()
    const rows = await readLedger(options.db, tenant.schemaName)
    const appliedNames = rows.map((row) => row.name)
    const known = new Set(appliedNames)
    const base = {
      tenant: tenant.slug,
      schemaName: tenant.schemaName,
      head: tenant.migrationHead,
      applied: rows.map((row) => ({
        name: row.name,
        appliedAt: new Date(row.applied_at).toISOString(),
      })),
      pending: available.filter((name) => !known.has(name)),
    }
    if (options.migrator && (tenant.status === 'provisioned' || tenant.status === 'suspended')) {
      const [planned] = await options.migrator.list({ tenant: tenant.slug })
      if (!planned) return base
      // A database failure while planning is a 500 (logged), not a message for the client.
      if (planned.error?.code === 'DATABASE_ERROR') throw new Error(planned.error.message)
      const { code, message } = planned.error ?? {}
      return {
        ...base,
        pending: planned.pending,
        ...(code && message ? { problem: { code, message } } : {}),
      }
    }
    try {
      planMigrations({
        applied: appliedNames,
        available,
        allowUnorderedMigrations: options.allowUnorderedMigrations ?? false,
      })
      return base
    } catch (error) {
      // These messages name migrations only, never SQL: safe to show an admin.
      if (!isTenantError(error)) throw error
      return { ...base, problem: { code: error.code, message: error.message } }
    }
  }
}

async function readLedger(db: Kysely<any>, schemaName: string) {
  try {
    return (await db
      .withSchema(schemaName)
      .selectFrom(MIGRATION_LEDGER_TABLE)
      .select(['name', 'applied_at'])
      .orderBy('position')
      .execute()) as { name: string; applied_at: Date | string }[]
  } catch (error) {
    // undefined_table: not provisioned yet (or purged by hand), so nothing is applied.
    if ((error as { code?: unknown }).code === '42P01') return []
    throw error
  }
}
