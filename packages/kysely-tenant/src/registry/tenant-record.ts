import type { TenantSettings, TenantStatus } from '@kysely-tenant/core'
import type { ColumnType, Generated, Selectable } from 'kysely'

/** A tenant as stored in the registry. */
export interface Tenant {
  readonly id: string
  readonly slug: string
  readonly name: string
  /** The PostgreSQL schema holding the tenant's data (derived from the slug at creation). */
  readonly schemaName: string
  readonly status: TenantStatus
  readonly settings: TenantSettings
  readonly createdAt: Date
  readonly updatedAt: Date
  readonly provisionedAt: Date | null
  readonly suspendedAt: Date | null
  readonly deletedAt: Date | null
  /** The last tenant migration applied to the tenant's schema, `null` before provisioning. */
  readonly migrationHead: string | null
}

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>

/** The `tenants` table as Kysely sees it. */
export interface TenantsTable {
  id: Generated<string>
  slug: string
  name: string
  schema_name: string
  status: ColumnType<TenantStatus, TenantStatus | undefined, TenantStatus>
  settings: ColumnType<TenantSettings, string, string>
  created_at: Timestamp
  updated_at: Timestamp
  provisioned_at: NullableTimestamp
  suspended_at: NullableTimestamp
  deleted_at: NullableTimestamp
  migration_head: ColumnType<string | null, string | null | undefined, string | null>
  migration_digest: ColumnType<string | null, string | null | undefined, string | null>
}

/** The tables of the control schema. */
export interface RegistryDatabase {
  tenants: TenantsTable
}

/** Maps a registry row to the `Tenant` the API returns. */
export function toTenant(row: Selectable<TenantsTable>): Tenant {
  return Object.freeze({
    id: row.id,
    slug: row.slug,
    name: row.name,
    schemaName: row.schema_name,
    status: row.status,
    settings: row.settings,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    provisionedAt: row.provisioned_at,
    suspendedAt: row.suspended_at,
    deletedAt: row.deleted_at,
    migrationHead: row.migration_head,
  })
}
