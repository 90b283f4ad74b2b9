export { createTenancy, type Tenancy, type TenancyConfig } from './create-tenancy.js'
export {
  type AppliedMigrations,
  type ApplyTenantMigrationsOptions,
  applyTenantMigrations,
} from './migration/apply-tenant-migrations.js'
export { FolderMigrationProvider } from './migration/folder-migration-provider.js'
export { migrationDigest } from './migration/migration-digest.js'
export { MIGRATION_LEDGER_TABLE } from './migration/migration-ledger.js'
export { MIGRATION_LOCK_NAMESPACE } from './migration/migration-lock.js'
export {
  type RevertedMigrations,
  type RevertTenantMigrationsOptions,
  revertTenantMigrations,
} from './migration/revert-tenant-migrations.js'
export type {
  FanOutOptions,
  TenantMigrationProgress,
} from './migration/tenant-fan-out.js'
export type { TenantMigration, TenantMigrationProvider } from './migration/tenant-migration.js'
export type {
  TenantMigrationFailure,
  TenantMigrationResult,
  TenantMigrationRun,
  TenantMigrationSummary,
} from './migration/tenant-migration-result.js'
export type { TenantMigrationStatus } from './migration/tenant-migration-status.js'
export { TenantMigrator } from './migration/tenant-migrator.js'
export {
  DEFAULT_POOL_SIZE,
  type TenantMigratorProps,
  type TenantRunOptions,
} from './migration/tenant-migrator-props.js'
export {
  migrateTenantRegistry,
  REGISTRY_MIGRATION_TABLE,
} from './registry/migrate-tenant-registry.js'
export {
  isPostgresError,
  isUniqueViolation,
  type PostgresErrorFields,
} from './registry/postgres-error.js'
export {
  type RegistryMigrationOptions,
  registryMigrations,
} from './registry/registry-migrations.js'
export type { RegistryDatabase, Tenant, TenantsTable } from './registry/tenant-record.js'
export {
  type TenantListQuery,
  type TenantPage,
  TenantRegistry,
} from './registry/tenant-registry.js'
export { SharedDriver } from './scope/shared-driver.js'
export {
  type TenantChangeClient,
  type TenantChangeHandlers,
  TenantChangeListener,
  type TenantChangeListenerOptions,
  type TenantChangeNotification,
} from './scope/tenant-change-listener.js'
export { TenantKysely } from './scope/tenant-kysely.js'
export { DEFAULT_SCOPE_CACHE_SIZE, type TenantKyselyConfig } from './scope/tenant-kysely-config.js'
export { TenantSchemaPlugin } from './scope/tenant-schema-plugin.js'
export { TenantScopeDriver, type TenantScopeDriverOptions } from './scope/tenant-scope-driver.js'
export {
  DEFAULT_STATUS_CACHE_MAX_ENTRIES,
  DEFAULT_STATUS_CACHE_TTL_MS,
  TenantStatusCache,
  type TenantStatusCacheOptions,
} from './scope/tenant-status-cache.js'
export type { TenantStatusEntry, TenantStatusSource } from './scope/tenant-status-source.js'
export {
  type TenantEventName,
  TenantEvents,
  type TenantListener,
} from './service/tenant-events.js'
export {
  type PurgeConfirmation,
  TenantService,
  type TenantServiceOptions,
} from './service/tenant-service.js'
export {
  DEFAULT_CONTROL_SCHEMA,
  DEFAULT_SHARED_SCHEMAS,
  type ResolvedTenancyOptions,
  resolveTenancyOptions,
  TENANT_CHANGE_CHANNEL,
  type TenancyOptions,
} from './tenancy-options.js'
