export {
  assertTenantAccess,
  assertTransition,
  canTransition,
  isNoopTransition,
  isTenantStatus,
  TENANT_STATUSES,
  TENANT_TRANSITIONS,
  type TenantAccess,
  type TenantAction,
  type TenantStatus,
  tenantAccess,
} from './lifecycle.js'
export {
  type MigrationPlan,
  type MigrationPlanInput,
  planMigrations,
  planRollback,
} from './migration-plan.js'
export {
  assertValidSchemaPrefix,
  DEFAULT_SCHEMA_PREFIX,
  MAX_IDENTIFIER_BYTES,
  MAX_SCHEMA_PREFIX_BYTES,
  type SchemaNameOptions,
  slugToSchemaName,
} from './schema-name.js'
export { formatSearchPath, quoteIdentifier } from './search-path.js'
export {
  assertValidSlug,
  isValidSlug,
  SLUG_MAX_LENGTH,
  SLUG_MIN_LENGTH,
  slugProblem,
} from './slug.js'
export {
  type FieldProblem,
  isTenantError,
  TenantError,
  type TenantErrorCode,
  type TenantErrorOptions,
} from './tenant-error.js'
export {
  type JsonValue,
  NAME_MAX_LENGTH,
  type NewTenantInput,
  SETTINGS_MAX_BYTES,
  SETTINGS_MAX_DEPTH,
  type TenantSettings,
  type TenantUpdateInput,
  validateNewTenant,
  validateTenantUpdate,
} from './tenant-input.js'
