import type { Kysely } from 'kysely'

/**
 * One migration, written the Kysely way. This is the shape of Kysely's own `Migration`
 * (declared here because kysely 0.28 exports it from `kysely` and 0.29 from
 * `kysely/migration`), so any Kysely migration file or provider fits.
 *
 * A tenant migration receives a `db` scoped to its tenant: builders are schema-qualified and
 * the transaction's `search_path` starts with the tenant schema, so raw `sql` lands there too.
 */
export interface TenantMigration {
  up(db: Kysely<any>): Promise<void>
  down?(db: Kysely<any>): Promise<void>
}

/** Kysely's `MigrationProvider` shape: `FileMigrationProvider` and kysely-ctl's loaders fit. */
export interface TenantMigrationProvider {
  getMigrations(): Promise<Record<string, TenantMigration>>
}
