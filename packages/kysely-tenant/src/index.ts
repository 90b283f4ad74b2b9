export {
  type AppliedMigrations,
  type ApplyTenantMigrationsOptions,
  applyTenantMigrations,
} from './migration/apply-tenant-migrations.js'
export { migrationDigest } from './migration/migration-digest.js'
export { MIGRATION_LEDGER_TABLE } from './migration/migration-ledger.js'
export { MIGRATION_LOCK_NAMESPACE } from './migration/migration-lock.js'
export {
  type RevertedMigrations,
  type RevertTenantMigrationsOptions,
  revertTenantMigrations,
} from './migration/revert-tenant-migrations.js'
export type { TenantMigration, TenantMigrationProvider } from './migration/tenant-migration.js'
