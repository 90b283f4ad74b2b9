import { assertTenantAccess, isTenantStatus, TenantError } from '@kysely-tenant/core'
import { type Kysely, sql, type Transaction } from 'kysely'
import { lockTenantMigrations } from './migration-lock.js'

/** A tenant the migrator works on, as the status query saw it. */
export interface TenantMigrationTarget {
  readonly tenant: string
  readonly schemaName: string
  readonly status: 'provisioned' | 'suspended'
  readonly head: string | null
  /** True when the registry's digest equals the digest of the available migrations. */
  readonly atLatest: boolean
}

/** Statuses whose schema exists and must be kept current (suspended data too). */
export const MIGRATED_STATUSES = ['provisioned', 'suspended'] as const

/**
 * The ONE status query of a run: every provisioned and suspended tenant (or only `tenant`),
 * in slug order, with whether its `migration_digest` equals `latestDigest`. Active tenants
 * (no schema yet) and deleted ones are never targeted, so no schema is ever created or
 * touched for them. Naming a tenant in another status throws its access error
 * (`TENANT_NOT_FOUND`, `TENANT_NOT_PROVISIONED`, `TENANT_DELETED`).
 *
 * The generated SQL (PostgreSQL):
 *
 * ```sql
 * select "slug", "schema_name", "status", "migration_head",
 *   "migration_digest" is not distinct from $1 as "at_latest"
 * from "public"."tenants" where "status" in ('provisioned', 'suspended') order by "slug"
 * ```
 */
export async function readMigrationTargets(
  db: Kysely<any>,
  controlSchema: string,
  latestDigest: string,
  tenant?: string,
): Promise<TenantMigrationTarget[]> {
  let query = db
    .withSchema(controlSchema)
    .selectFrom('tenants')
    .select([
      'slug',
      'schema_name',
      'status',
      'migration_head',
      sql<boolean>`migration_digest is not distinct from ${latestDigest}`.as('at_latest'),
    ])
    .orderBy('slug')
  // With one tenant named, read it whatever its status, to say why it is not migrated.
  query =
    tenant === undefined
      ? query.where('status', 'in', MIGRATED_STATUSES)
      : query.where('slug', '=', tenant)
  const rows = await query.execute()
  if (tenant !== undefined) {
    const status = rows[0]?.status
    if (status !== 'suspended')
      assertTenantAccess(tenant, isTenantStatus(status) ? status : undefined)
  }
  return rows.map((row) => {
    if (row.status !== 'provisioned' && row.status !== 'suspended') {
      throw new TenantError('VALIDATION_FAILED', `unexpected tenant status ${row.status}`)
    }
    return {
      tenant: row.slug,
      schemaName: row.schema_name,
      status: row.status,
      head: row.migration_head,
      atLatest: row.at_latest,
    }
  })
}

/**
 * Inside a tenant's migration transaction: takes the tenant's migration lock, then answers
 * whether the tenant is still one to migrate. The status query of the run is read before
 * the tenants' transactions start; a tenant deleted or purged since then (a purge takes the
 * same lock first, so it either waits for this transaction or has finished) is left alone.
 */
export async function lockIfStillTargeted(
  trx: Transaction<any>,
  controlSchema: string,
  schemaName: string,
): Promise<boolean> {
  await lockTenantMigrations(trx, schemaName)
  const row = await trx
    .withSchema(controlSchema)
    .selectFrom('tenants')
    .select('status')
    .where('schema_name', '=', schemaName)
    .executeTakeFirst()
  return (MIGRATED_STATUSES as readonly string[]).includes(row?.status)
}
