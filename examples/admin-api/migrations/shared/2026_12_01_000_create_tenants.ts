// The tenant registry (public.tenants), run by kysely-ctl with the app's shared migrations:
// `pnpm exec kysely migrate latest`. The server runs the same migration from code with
// migrateTenantRegistry() (its own ledger); use one way or the other for a database.
import { registryMigrations } from 'kysely-tenant'

const migration = registryMigrations()['2026_12_01_000_create_tenants']
if (!migration) throw new Error('kysely-tenant no longer ships this registry migration')

export const up = migration.up
export const down = migration.down
