import type { TenantSettings, TenantStatus } from '@kysely-tenant/core'
import type { Tenant, TenantPage } from 'kysely-tenant'

/** A tenant as the admin API sends it: camelCase fields, timestamps in ISO 8601 (UTC). */
export interface TenantJson {
  readonly id: string
  readonly slug: string
  readonly name: string
  readonly schemaName: string
  readonly status: TenantStatus
  readonly settings: TenantSettings
  readonly createdAt: string
  readonly updatedAt: string
  readonly provisionedAt: string | null
  readonly suspendedAt: string | null
  readonly deletedAt: string | null
  readonly migrationHead: string | null
}

/** A page of `GET /api/tenants`: pass `nextCursor` as `?cursor=` for the next one. */
export interface TenantPageJson {
  readonly tenants: readonly TenantJson[]
  readonly nextCursor: string | null
}

/**
 * Maps a `Tenant` to its JSON form, field by field, so a column added to the registry is
 * never published by accident.
 *
 * ### Examples
 *
 * ```ts
 * tenantToJson(await tenants.get('acme-corp')).createdAt // '2026-12-04T19:51:20.000Z'
 * ```
 */
export function tenantToJson(tenant: Tenant): TenantJson {
  return {
    id: tenant.id,
    slug: tenant.slug,
    name: tenant.name,
    schemaName: tenant.schemaName,
    status: tenant.status,
    settings: tenant.settings,
    createdAt: iso(tenant.createdAt),
    updatedAt: iso(tenant.updatedAt),
    provisionedAt: tenant.provisionedAt && iso(tenant.provisionedAt),
    suspendedAt: tenant.suspendedAt && iso(tenant.suspendedAt),
    deletedAt: tenant.deletedAt && iso(tenant.deletedAt),
    migrationHead: tenant.migrationHead,
  }
}

/**
 * Maps a `TenantPage` to its JSON form.
 *
 * ### Examples
 *
 * ```ts
 * app.get('/admin/suspended', async (c) =>
 *   c.json(tenantPageToJson(await tenants.list({ status: 'suspended' }))),
 * )
 * ```
 */
export function tenantPageToJson(page: TenantPage): TenantPageJson {
  return { tenants: page.tenants.map(tenantToJson), nextCursor: page.nextCursor }
}

// node-postgres gives Dates for timestamptz; a string (another driver) is passed through.
function iso(value: Date | string): string {
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString()
}
