export { type AdminApiOptions, createAdminApi } from './admin-api.js'
export {
  ADMIN_TOKENS_ENV,
  type AdminAuthOptions,
  adminAuth,
  MIN_ADMIN_TOKEN_LENGTH,
  resolveAdminTokens,
} from './admin-auth.js'
export {
  type ErrorBody,
  errorResponse,
  HttpError,
  type HttpErrorCode,
  tenantErrorHandler,
  tenantErrorStatus,
  toErrorResponse,
} from './error-response.js'
export { CONSOLE_LOGGER, type HttpLogger } from './http-logger.js'
export { DEFAULT_BODY_LIMIT_BYTES, jsonBodyLimit, readJsonBody } from './json-body.js'
export { methodNotAllowed } from './method-not-allowed.js'
export {
  type LedgerMigrationStatusOptions,
  ledgerMigrationStatus,
  type TenantMigrationStatusReader,
  type TenantMigrationsJson,
} from './migration-status.js'
export { readPurgeConfirmation } from './purge-confirmation.js'
export { currentTenant, runWithTenant, type TenantContext } from './tenant-context.js'
export {
  type TenantJson,
  type TenantPageJson,
  tenantPageToJson,
  tenantToJson,
} from './tenant-json.js'
export {
  MAX_LIST_LIMIT,
  MAX_SEARCH_LENGTH,
  parseTenantListQuery,
} from './tenant-list-query.js'
export {
  resolveTenant,
  type TenantEnv,
  type TenantResolutionOptions,
} from './tenant-resolution.js'
export {
  fromHeader,
  fromPathParam,
  fromSubdomain,
  type TenantSlugSource,
} from './tenant-slug-source.js'
