import type { Kysely } from 'kysely'
import { DEFAULT_CONTROL_SCHEMA } from '../tenancy-options.js'
import { type RegistryMigrationOptions, registryMigrations } from './registry-migrations.js'

/** The ledger of the registry's own migrations, in the control schema. */
export const REGISTRY_MIGRATION_TABLE = 'kysely_tenant_registry_migration'

/**
 * Creates or upgrades the tenant registry from code, in one call: runs `registryMigrations`
 * with Kysely's own `Migrator` (its ledger `kysely_tenant_registry_migration` lives in the
 * control schema, apart from your app's `kysely_migration`). Throws when a migration fails.
 *
 * Use this OR kysely-ctl (see the README), not both: each keeps its own ledger.
 *
 * ### Examples
 *
 * ```ts
 * await migrateTenantRegistry(db) // before the first TenantService call
 * ```
 */
export async function migrateTenantRegistry(
  db: Kysely<any>,
  options: RegistryMigrationOptions = {},
): Promise<void> {
  const schema = options.controlSchema ?? DEFAULT_CONTROL_SCHEMA
  const Migrator = await loadMigrator()
  await db.schema.createSchema(schema).ifNotExists().execute()
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => registryMigrations(options) },
    migrationTableSchema: schema,
    migrationTableName: REGISTRY_MIGRATION_TABLE,
    migrationLockTableName: `${REGISTRY_MIGRATION_TABLE}_lock`,
  })
  const { error } = await migrator.migrateToLatest()
  if (error) throw error
}

// kysely 0.29 moved `Migrator` to `kysely/migration` (and made the root export a type
// error); 0.28 has no such subpath. Load whichever the user's kysely has.
async function loadMigrator(): Promise<new (config: any) => MigratorLike> {
  const subpath = 'kysely/migration'
  try {
    return (await import(subpath)).Migrator
  } catch {
    return ((await import('kysely')) as any).Migrator
  }
}

interface MigratorLike {
  migrateToLatest(): Promise<{ error?: unknown }>
}
